#pragma once

// Synthetic CLIP-like embeddings for SIC tests and benchmarks (header-only, plain C++/Qt).
//
// The claim SIC makes (AAAI 2023): images that look alike (background, colour, lighting) but
// mean different things are separated because their *class* direction is shared with the text
// embeddings of nouns, while the look is not. The construction, all directions orthonormal:
//
//   image of class c:  f = imageNorm · unit( m_I + classWeight·u_c + styleWeight·Σ_v z_v·e_v + ε_I )
//   class noun of c:   t = textNorm  · unit( m_T + textClassWeight·u_c + h·m_I + ε_T )
//   distractor noun:   t = textNorm  · unit( m_T + textClassWeight·u_w + h·m_I + ε_T ),  u_w random
//   generic noun:      t = textNorm  · unit( m_T + ε )   (on the text mean: γ_u removes it)
//
// m_I and m_T are CLIP's two modality cones (the "modality gap"): every image shares m_I, every
// text m_T, so image–text cosines are small (~0.1–0.3) and only their differences carry meaning.
// z_v ~ N(0, 1) is a continuous nuisance (lighting, background) along `styles` directions e_v that
// no noun names; with styleWeight > classWeight it dominates Euclidean distance, so k-means splits
// by look. h ~ N(0, hubSpread) is a per-noun "hubness" toward the image cone, drawn alike for class
// and distractor nouns (some nouns are nearer to every photo than others). u_w of a distractor is a
// random concept direction: orthogonal to the cones and the nuisance, not to the classes (unrelated
// concepts overlap a little, ~1/√d). Norms default to ViT-B/32's raw feature norms (‖f‖ ≈ 10,
// spec §5.2), because SIC trains its head on raw features and its lr and weights assume that scale.
// ε_I, ε_T: isotropic Gaussian noise of the given total norm (per dimension: noise/√d).

#include "common/matrix.h"

#include <QString>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace clade::test {

struct SicSyntheticSpec
{
    int classes = 10;
    int styles = 2;   // nuisance directions
    int imagesPerClass = 60;
    int dims = 64;
    float imageNorm = 10.0f;
    float textNorm = 8.0f;
    float classWeight = 0.35f;      // class direction in an image, relative to the image cone
    float styleWeight = 0.6f;       // standard deviation of the nuisance along each direction
    float imageNoise = 0.1f;        // total norm of the per-image noise
    float textClassWeight = 0.6f;   // concept direction in a noun, relative to the text cone
    float hubSpread = 0.01f;        // per-noun pull toward the image cone (standard deviation)
    float textNoise = 0.1f;         // total norm of the per-noun noise
    int nounsPerClass = 20;
    int distractorNouns = 200;
    int genericNouns = 20;
    unsigned seed = 1;
    // Harder scenarios (robust SIC). sizeRatio: class sizes fall geometrically from class 0 to
    // the last, the first sizeRatio times the last, imagesPerClass on average. closeCosine > 0:
    // class 1's direction has this cosine with class 0's (its nouns follow it), two close classes.
    // anisotropy: each class also spreads along a direction of its own, with this standard
    // deviation (relative to the image cone), which no noun names: elongated classes.
    float sizeRatio = 1.0f;
    float closeCosine = 0.0f;
    float anisotropy = 0.0f;
};

// Images of each class under spec.sizeRatio (sums to classes x imagesPerClass, each at least 1).
inline std::vector<int> syntheticClassSizes(const SicSyntheticSpec &s)
{
    std::vector<int> sizes(std::size_t(s.classes), s.imagesPerClass);
    if (s.sizeRatio <= 1.0f || s.classes < 2)
        return sizes;
    std::vector<double> weights;
    double sum = 0;
    for (int c = 0; c < s.classes; ++c) {
        weights.push_back(std::pow(double(s.sizeRatio), -double(c) / double(s.classes - 1)));
        sum += weights.back();
    }
    for (int c = 0; c < s.classes; ++c)
        sizes[std::size_t(c)] = std::max(1, int(std::lround(weights[std::size_t(c)] / sum * s.classes * s.imagesPerClass)));
    return sizes;
}

struct SicSynthetic
{
    FeatureMatrix images;
    std::vector<int> truth;   // class of each image row
    FeatureMatrix texts;
    QStringList nouns;
};

namespace synthetic_detail {

using Vector = std::vector<float>;

inline void scaleToNorm(Vector &v, float norm)
{
    double sum = 0;
    for (float x : v)
        sum += double(x) * x;
    const double factor = sum > 0 ? norm / std::sqrt(sum) : 0.0;
    for (float &x : v)
        x = float(x * factor);
}

inline Vector gaussian(std::mt19937 &rng, int dims, float totalNorm)
{
    std::normal_distribution<float> normal(0.0f, totalNorm / std::sqrt(float(dims)));
    Vector v(static_cast<std::size_t>(dims));
    for (float &x : v)
        x = normal(rng);
    return v;
}

// Removes from v its components along the orthonormal `basis` vectors and renormalises.
inline void orthogonalise(Vector &v, const std::vector<Vector> &basis)
{
    for (const auto &b : basis) {
        double dot = 0;
        for (std::size_t d = 0; d < v.size(); ++d)
            dot += double(v[d]) * b[d];
        for (std::size_t d = 0; d < v.size(); ++d)
            v[d] -= float(dot) * b[d];
    }
    scaleToNorm(v, 1.0f);
}

inline void addScaled(Vector &into, const Vector &v, float weight)
{
    for (std::size_t d = 0; d < into.size(); ++d)
        into[d] += weight * v[d];
}

inline void storeRow(FeatureMatrix &m, std::size_t row, Vector v, float norm)
{
    scaleToNorm(v, norm);
    std::copy(v.begin(), v.end(), m.row(row));
}

}   // namespace synthetic_detail

// Needs dims >= classes (x2 with anisotropy) + styles + 3 (cones, classes and nuisance directions are orthonormal,
// with room left for the distractor concepts).
inline SicSynthetic makeSicSynthetic(const SicSyntheticSpec &s)
{
    using namespace synthetic_detail;
    std::mt19937 rng(s.seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<Vector> basis;
    auto nextDirection = [&] {
        auto v = gaussian(rng, s.dims, 1.0f);
        orthogonalise(v, basis);
        basis.push_back(v);
        return v;
    };
    const auto imageCone = nextDirection();
    const auto textCone = nextDirection();
    std::vector<Vector> classDir, styleDir, spreadDir;
    for (int c = 0; c < s.classes; ++c)
        classDir.push_back(nextDirection());
    for (int v = 0; v < s.styles; ++v)
        styleDir.push_back(nextDirection());
    if (s.anisotropy > 0) {
        for (int c = 0; c < s.classes; ++c)
            spreadDir.push_back(nextDirection());
    }
    if (s.closeCosine > 0 && s.classes >= 2) {
        Vector close(classDir[0].size(), 0.0f);
        addScaled(close, classDir[0], s.closeCosine);
        addScaled(close, classDir[1], std::sqrt(std::max(0.0f, 1.0f - s.closeCosine * s.closeCosine)));
        classDir[1] = close;
    }

    SicSynthetic out;
    const auto sizes = syntheticClassSizes(s);
    // Rows interleave the classes (row i is of class i mod C while every class has rows left).
    std::vector<int> remaining = sizes;
    for (bool any = true; any;) {
        any = false;
        for (int c = 0; c < s.classes; ++c) {
            if (remaining[std::size_t(c)]-- > 0) {
                out.truth.push_back(c);
                any = true;
            }
        }
    }
    const std::size_t n = out.truth.size();
    out.images = FeatureMatrix(n, std::size_t(s.dims));
    for (std::size_t i = 0; i < n; ++i) {
        const int c = out.truth[i];
        Vector f = gaussian(rng, s.dims, s.imageNoise);
        addScaled(f, imageCone, 1.0f);
        addScaled(f, classDir[std::size_t(c)], s.classWeight);
        for (const auto &e : styleDir)
            addScaled(f, e, s.styleWeight * normal(rng));
        if (!spreadDir.empty())
            addScaled(f, spreadDir[std::size_t(c)], s.anisotropy * normal(rng));
        storeRow(out.images, i, std::move(f), s.imageNorm);
    }

    std::vector<Vector> unrelated{imageCone, textCone};
    unrelated.insert(unrelated.end(), styleDir.begin(), styleDir.end());
    unrelated.insert(unrelated.end(), spreadDir.begin(), spreadDir.end());
    const int classNouns = s.classes * s.nounsPerClass;
    const int m = classNouns + s.distractorNouns + s.genericNouns;
    out.texts = FeatureMatrix(std::size_t(m), std::size_t(s.dims));
    for (int w = 0; w < m; ++w) {
        Vector t = gaussian(rng, s.dims, s.textNoise);
        addScaled(t, textCone, 1.0f);
        if (w < classNouns + s.distractorNouns) {
            Vector meaning;
            if (w < classNouns) {
                meaning = classDir[std::size_t(w / s.nounsPerClass)];
                out.nouns.append(QStringLiteral("class_%1_noun%2").arg(w / s.nounsPerClass).arg(w % s.nounsPerClass));
            } else {
                meaning = gaussian(rng, s.dims, 1.0f);
                orthogonalise(meaning, unrelated);
                out.nouns.append(QStringLiteral("distractor_%1").arg(w));
            }
            addScaled(t, meaning, s.textClassWeight);
            addScaled(t, imageCone, s.hubSpread * normal(rng));
        } else {
            out.nouns.append(QStringLiteral("generic_%1").arg(w));
        }
        storeRow(out.texts, std::size_t(w), std::move(t), s.textNorm);
    }
    return out;
}

// The scenarios robust SIC is measured on (bench_sic --scenario, tst_robustsic): "look" is the
// default set (a nuisance dominates Euclidean distance, k-means at chance); "clip" has more
// per-image noise and a weaker nuisance, so that single SIC runs differ by seed as they do on
// real CLIP features (docs REAL-CLIP-SHAPE: 0.87-0.96 over five seeds); "imbalanced" (class
// sizes 10:1), "close" (two classes at cosine 0.6) and "anisotropic" (each class elongated
// along a direction of its own) build on "clip". false for an unknown name.
inline bool applyScenario(const QString &name, SicSyntheticSpec &spec)
{
    if (name == QLatin1String("look"))
        return true;
    spec.styleWeight = 0.3f;
    spec.imageNoise = 0.5f;
    if (name == QLatin1String("imbalanced"))
        spec.sizeRatio = 10.0f;
    else if (name == QLatin1String("close"))
        spec.closeCosine = 0.6f;
    else if (name == QLatin1String("anisotropic"))
        spec.anisotropy = 0.6f;
    else if (name != QLatin1String("clip"))
        return false;
    return true;
}

}   // namespace clade::test
