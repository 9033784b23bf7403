#include <torch/torch.h>

#include "sicops_p.h"

#include <algorithm>
#include <tuple>
#include <utility>
#include <vector>

namespace clade::sicops {

namespace {
namespace F = torch::nn::functional;

// Two groups of the rows of x (at least two rows): 2-means from the row farthest from the mean
// and the row farthest from that one. far marks the rows of the second group; centres are the
// two groups' means (2 x columns), to place other rows by.
struct TwoMeans
{
    torch::Tensor far;
    torch::Tensor centres;
};

TwoMeans splitInTwo(const torch::Tensor &x)
{
    const auto mean = x.mean(0, true);
    const auto first = (x - mean).pow(2).sum(1).argmax();
    const auto a0 = x[first].unsqueeze(0);
    const auto second = (x - a0).pow(2).sum(1).argmax();
    auto centres = torch::cat({a0, x[second].unsqueeze(0)});
    torch::Tensor far;
    for (int it = 0; it < 50; ++it) {
        const auto distances = torch::cdist(x, centres);
        auto next = distances.select(1, 1) < distances.select(1, 0);
        if (far.defined() && torch::equal(next, far))
            break;
        far = next;
        const auto n1 = far.sum().item<std::int64_t>();
        if (n1 == 0 || n1 == x.size(0))
            break;
        centres = torch::stack({x.index({~far}).mean(0), x.index({far}).mean(0)});
    }
    const auto n1 = far.sum().item<std::int64_t>();
    if (n1 == 0 || n1 == x.size(0)) {   // all rows alike: give away the second half
        far = torch::arange(x.size(0), torch::TensorOptions(torch::kLong).device(x.device())) >= x.size(0) / 2;
    }
    return {far, centres};
}

// The rows of features a split works on: image space, or the cosines to its nouns. In chunks:
// a group can hold hundreds of thousands of photos, and only their cosines to a few dozen nouns
// are needed.
torch::Tensor splitSpace(const torch::Tensor &features, const torch::Tensor &members, const torch::Tensor &nouns)
{
    if (!nouns.defined())
        return features.index_select(0, members);
    constexpr std::int64_t chunk = 32768;
    const auto n = members.size(0);
    std::vector<torch::Tensor> parts;
    for (std::int64_t start = 0; start < n; start += chunk)
        parts.push_back(cosineMatrix(features.index_select(0, members.narrow(0, start, std::min(chunk, n - start))), nouns));
    return torch::cat(parts);
}

}   // namespace

std::pair<torch::Tensor, int> refillEmptyGroups(const torch::Tensor &labels, const torch::Tensor &features, int k)
{
    torch::NoGradGuard noGrad;
    auto out = labels.clone();
    int refilled = 0;
    for (;;) {
        const auto counts = torch::bincount(out, {}, k).to(torch::kCPU);
        const auto empty = (counts == 0).nonzero();
        if (empty.numel() == 0)
            return {out, refilled};
        const auto target = empty[0][0].item<std::int64_t>();
        // The group of largest squared spread with at least two members gives half.
        const auto means = groupMeans(out, features, k);
        const auto spread =
            torch::zeros({k}, features.options()).index_add_(0, out, (features - means.index_select(0, out)).pow(2).sum(1)).to(torch::kCPU);
        const auto eligible = counts >= 2;
        if (!eligible.any().item<bool>())
            return {out, refilled};   // fewer rows than groups: nothing to split (runSic refuses that earlier)
        const auto donor = torch::where(eligible, spread, torch::full_like(spread, -1.0)).argmax().item<std::int64_t>();
        const auto members = (out == donor).nonzero().flatten();
        const auto far = splitInTwo(features.index_select(0, members)).far;
        out.index_fill_(0, members.index({far}), target);
        ++refilled;
    }
}

double knnLeakage(const torch::Tensor &labels, const torch::Tensor &knn, int k, const torch::Tensor &rows)
{
    torch::NoGradGuard noGrad;
    const auto ids = rows.defined() ? rows : torch::arange(labels.size(0), labels.options());
    const auto edges = rows.defined() ? knn.index_select(0, rows) : knn;
    const auto own = labels.index_select(0, ids);
    const auto real = edges != ids.unsqueeze(1);
    const auto leaving = (labels.index_select(0, edges.flatten()).view(edges.sizes()) != own.unsqueeze(1)) & real;
    const auto perRow = leaving.sum(1).to(torch::kDouble) / real.sum(1).clamp_min(1).to(torch::kDouble);
    const auto counts = torch::bincount(own, {}, k).to(torch::kDouble);
    const auto perGroup = torch::zeros({k}, perRow.options()).index_add_(0, own, perRow);
    if (rows.defined()) {   // an estimate: over the groups the rows reach
        const auto present = counts > 0;
        return (perGroup.index({present}) / counts.index({present})).mean().item<double>();
    }
    const auto mean = torch::where(counts > 0, perGroup / counts.clamp_min(1), torch::ones_like(counts));
    return mean.mean().item<double>();
}

torch::Tensor groupMeans(const torch::Tensor &labels, const torch::Tensor &features, int k)
{
    torch::NoGradGuard noGrad;
    const auto sums = torch::zeros({k, features.size(1)}, features.options()).index_add_(0, labels, features);
    const auto counts = torch::bincount(labels, {}, k).to(features.scalar_type()).clamp_min(1);
    return sums / counts.unsqueeze(1);
}

torch::Tensor memberCentres(const torch::Tensor &labels, const torch::Tensor &features, int k)
{
    return F::normalize(groupMeans(labels, features, k), F::NormalizeFuncOptions().dim(1));
}

double semanticAgreement(const torch::Tensor &labels, const torch::Tensor &features, const torch::Tensor &texts, int k, int xiA)
{
    torch::NoGradGuard noGrad;
    const auto pseudo = pseudoLabels(features, semanticCentres(memberCentres(labels, features, k), texts, xiA));
    return (pseudo == labels).to(torch::kDouble).mean().item<double>();
}

GroupSplit semanticSplit(const torch::Tensor &features, const torch::Tensor &members, const torch::Tensor &texts, int xiA)
{
    torch::NoGradGuard noGrad;
    GroupSplit out;
    if (texts.defined() && texts.size(0) > 0) {
        constexpr std::int64_t chunk = 32768;
        const auto n = members.size(0);
        auto sum = torch::zeros({1, features.size(1)}, features.options());
        for (std::int64_t start = 0; start < n; start += chunk)
            sum += features.index_select(0, members.narrow(0, start, std::min(chunk, n - start))).sum(0, true);
        const auto take = std::min<std::int64_t>(2 * std::max(1, xiA), texts.size(0));
        out.nouns = texts.index_select(0, std::get<1>(cosineMatrix(sum, texts).topk(take, 1)).flatten());
    }
    auto [far, centres] = splitInTwo(splitSpace(features, members, out.nouns));
    out.far = far;
    out.centres = centres;
    return out;
}

torch::Tensor applySplit(const GroupSplit &split, const torch::Tensor &features, const torch::Tensor &members)
{
    torch::NoGradGuard noGrad;
    const auto distances = torch::cdist(splitSpace(features, members, split.nouns), split.centres);
    auto far = distances.select(1, 1) < distances.select(1, 0);
    const auto n1 = far.sum().item<std::int64_t>();
    if (members.size(0) >= 2 && (n1 == 0 || n1 == members.size(0)))   // as splitInTwo: the second half
        far = torch::arange(members.size(0), members.options()) >= members.size(0) / 2;
    return far;
}

torch::Tensor replayMoves(const torch::Tensor &labels, const torch::Tensor &features, const std::vector<RefinementMove> &moves)
{
    torch::NoGradGuard noGrad;
    auto out = labels.clone();
    for (const RefinementMove &move : moves) {
        out.masked_fill_(out == move.absorbed, move.into);
        const auto members = (out == move.split).nonzero().flatten();
        if (members.size(0) < 2)
            continue;
        out.index_fill_(0, members.index({applySplit(move.cut, features, members)}), move.absorbed);
    }
    return out;
}

PartitionJudge::PartitionJudge(const torch::Tensor &features, const torch::Tensor &knn, const torch::Tensor &texts, int k, int xiA,
                               const torch::Tensor &rows)
    : m_knn(knn), m_texts(texts.defined() && texts.size(0) > 0 ? texts : torch::Tensor()), m_rows(rows),
      m_features(rows.defined() ? features.index_select(0, rows) : features), m_k(k), m_xiA(xiA)
{
    torch::NoGradGuard noGrad;
    if (m_texts.defined() && m_texts.size(0) * m_features.size(0) * std::int64_t(sizeof(float)) <= kProjectionBytes)
        m_projected = m_texts.mm(m_features.t());
}

torch::Tensor PartitionJudge::scoresOf(const torch::Tensor &centres) const
{
    if (!m_projected.defined())
        return m_features.mm(semanticCentres(centres, m_texts, m_xiA).t());
    const auto top = semanticNounIndices(centres, m_texts, m_xiA);   // groups x take
    const auto groups = top.size(0);
    const auto take = top.size(1);
    const auto sums = m_texts.index_select(0, top.flatten()).view({groups, take, m_texts.size(1)}).sum(1);
    const auto norms = sums.norm(2, 1, true).clamp_min(1e-12);   // F::normalize's
    return (m_projected.index_select(0, top.flatten()).view({groups, take, m_projected.size(1)}).sum(1) / norms).t();
}

// The share of rows whose highest score is their own group's. A loop: torch's argmax along rows
// of k ≈ 20 scores took 4 ms of a judgement on 20,000 rows, the loop a tenth of that.
double PartitionJudge::agreement(const torch::Tensor &rowLabels, const torch::Tensor &scores) const
{
    const auto cpuScores = scores.to(torch::kCPU, torch::kFloat32).contiguous();
    const auto cpuLabels = rowLabels.to(torch::kCPU, torch::kLong).contiguous();
    const float *score = cpuScores.data_ptr<float>();
    const std::int64_t *label = cpuLabels.data_ptr<std::int64_t>();
    const std::int64_t rows = cpuScores.size(0);
    const std::int64_t k = cpuScores.size(1);
    std::int64_t agreeing = 0;
    for (std::int64_t i = 0; i < rows; ++i) {
        const float *row = score + i * k;
        // argmax's choice: the first of equal highest scores
        agreeing += std::max_element(row, row + k) - row == label[i] ? 1 : 0;
    }
    return rows > 0 ? double(agreeing) / double(rows) : 0.0;
}

double PartitionJudge::rebase(const torch::Tensor &rowLabels)
{
    m_base = rowLabels;
    m_sums = torch::zeros({m_k, m_features.size(1)}, m_features.options()).index_add_(0, rowLabels, m_features);
    m_counts = torch::bincount(rowLabels, {}, m_k).to(m_features.scalar_type());
    const auto centres = F::normalize(m_sums / m_counts.clamp_min(1).unsqueeze(1), F::NormalizeFuncOptions().dim(1));
    m_scores = scoresOf(centres);
    return agreement(rowLabels, m_scores);
}

double PartitionJudge::operator()(const torch::Tensor &labels)
{
    torch::NoGradGuard noGrad;
    const double leakage = knnLeakage(labels, m_knn, m_k, m_rows);
    if (!m_texts.defined())
        return leakage;
    const auto rowLabels = m_rows.defined() ? labels.index_select(0, m_rows) : labels;
    const auto remember = [this, leakage](double value) {
        m_best = std::min(m_best, leakage - value);
        return leakage - value;
    };
    if (!m_base.defined())
        return remember(rebase(rowLabels));
    const auto moved = (rowLabels != m_base).nonzero().flatten();
    const auto to = rowLabels.index_select(0, moved);
    const auto from = m_base.index_select(0, moved);
    const auto groups = std::get<0>(torch::_unique(torch::cat({to, from})));
    if (2 * groups.size(0) > m_k)
        return remember(rebase(rowLabels));
    const auto rows = m_features.index_select(0, moved);
    auto sums = m_sums.index_add(0, to, rows).index_add_(0, from, rows.neg());
    const auto ones = torch::ones({moved.size(0)}, m_counts.options());
    auto counts = m_counts.index_add(0, to, ones).index_add_(0, from, ones.neg());
    const auto centres = F::normalize(sums.index_select(0, groups) / counts.index_select(0, groups).clamp_min(1).unsqueeze(1),
                                      F::NormalizeFuncOptions().dim(1));
    auto scores = m_scores.clone();
    scores.index_copy_(1, groups, scoresOf(centres));
    const double value = leakage - agreement(rowLabels, scores);
    if (value < m_best) {
        // The best partition so far becomes the reference: refinement's next proposals are
        // moves from it, so they differ from it in a few groups only.
        m_best = value;
        m_base = rowLabels;
        m_sums = std::move(sums);
        m_counts = std::move(counts);
        m_scores = std::move(scores);
    }
    return value;
}

namespace {

// The `choices` pairs (a < b) of groups joined by the largest share of kNN edges, the share
// taken of the smaller group's edges. The graph's rows are labelled by rowLabels.
std::vector<std::pair<std::int64_t, std::int64_t>> mostJoinedPairs(const torch::Tensor &rowLabels, const torch::Tensor &knn, int k,
                                                                   int choices)
{
    const auto n = rowLabels.size(0);
    const auto self = torch::arange(n, rowLabels.options()).unsqueeze(1);
    const auto real = (knn != self).flatten();
    const auto from = rowLabels.unsqueeze(1).expand(knn.sizes()).flatten().index({real});
    const auto to = rowLabels.index_select(0, knn.flatten()).index({real});
    auto edges = torch::bincount(from * k + to, {}, std::int64_t(k) * k).view({k, k}).to(torch::kDouble);
    edges = edges + edges.t();
    const auto degree = torch::bincount(rowLabels, {}, k).to(torch::kDouble) * double(knn.size(1) - 1);
    const auto smaller = torch::minimum(degree.unsqueeze(1), degree.unsqueeze(0)).clamp_min(1.0);
    const auto share = torch::triu(edges / smaller, 1).to(torch::kCPU).flatten();
    const auto order = std::get<1>(share.sort(0, true));
    std::vector<std::pair<std::int64_t, std::int64_t>> pairs;
    for (std::int64_t i = 0; i < order.size(0) && int(pairs.size()) < choices; ++i) {
        const auto index = order[i].item<std::int64_t>();
        if (share[index].item<double>() <= 0)
            break;
        pairs.emplace_back(index / k, index % k);
    }
    return pairs;
}

}   // namespace

Refinement refinePartition(const torch::Tensor &labels, const torch::Tensor &features, const torch::Tensor &knn, const torch::Tensor &texts,
                           int k, int xiA, const std::function<double(const torch::Tensor &)> &criterion, int maxMoves, int mergeChoices)
{
    torch::NoGradGuard noGrad;
    Refinement out{labels, {}, criterion(labels)};
    // Each group's split, kept until a move changes the group.
    std::vector<GroupSplit> splits(static_cast<std::size_t>(k));
    const auto splitOf = [&](const torch::Tensor &partition, std::int64_t group) {
        const auto members = (partition == group).nonzero().flatten();
        if (members.size(0) < 2)
            return std::pair{torch::Tensor(), GroupSplit{}};
        GroupSplit split = semanticSplit(features, members, texts, xiA);
        return std::pair{members.index({split.far}), std::move(split)};
    };
    std::vector<torch::Tensor> farRows(static_cast<std::size_t>(k));
    while (int(out.moves.size()) < maxMoves) {
        double best = out.criterion;
        torch::Tensor bestLabels;
        RefinementMove bestMove;
        for (const auto &[a, b] : mostJoinedPairs(out.labels, knn, k, mergeChoices)) {
            auto merged = out.labels.clone();
            merged.masked_fill_(merged == b, a);
            for (std::int64_t c = 0; c < k; ++c) {
                if (c == b)
                    continue;
                torch::Tensor far;
                GroupSplit mergedSplit;
                if (c == a) {
                    std::tie(far, mergedSplit) = splitOf(merged, a);
                } else {
                    if (!farRows[std::size_t(c)].defined())
                        std::tie(farRows[std::size_t(c)], splits[std::size_t(c)]) = splitOf(out.labels, c);
                    far = farRows[std::size_t(c)];
                }
                if (!far.defined() || far.numel() == 0)
                    continue;
                auto proposal = merged.clone();
                proposal.index_fill_(0, far, b);
                if (const double score = criterion(proposal); score < best - 1e-6) {
                    best = score;
                    bestLabels = proposal;
                    bestMove = {a, b, c, c == a ? mergedSplit : splits[std::size_t(c)]};
                }
            }
        }
        if (!bestLabels.defined())
            break;
        out.labels = bestLabels;
        out.criterion = best;
        for (const std::int64_t group : {bestMove.into, bestMove.absorbed, bestMove.split})
            farRows[std::size_t(group)] = torch::Tensor();
        out.moves.push_back(std::move(bestMove));
    }
    return out;
}

}   // namespace clade::sicops
