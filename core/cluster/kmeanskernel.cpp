#include "cluster/kmeanskernel.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <thread>

namespace clade::kmeansdetail {

namespace {

// Four float lanes: the SSE width every x86-64 machine has, so the arithmetic (and therefore
// every result bit) is the same on any of them. Wider generic vectors are split by the compiler
// and their accumulators spilled to memory, which made the kernel three times slower.
typedef float Vec4 __attribute__((vector_size(16)));
static_assert(sizeof(Vec4) == kLanes * sizeof(float));

typedef float Vec2f __attribute__((vector_size(8)));
typedef double Vec2d __attribute__((vector_size(16)));

constexpr std::size_t kPrepareChunkRows = 1024;

[[gnu::always_inline]] inline float horizontalSum(const Vec4 &v)
{
    return (v[0] + v[2]) + (v[1] + v[3]);
}

// Dot products of R data rows with C centres, every accumulator in a register
// (3 × 3 tiles: 9 accumulators, 3 centre lanes and 1 row lane of the 16 SSE registers).
template<int R, int C>
[[gnu::always_inline]] inline void dotTile(const float *const *x, const float *const *c, std::size_t stride, float *dots,
                                           std::size_t dotStride)
{
    Vec4 acc[R][C] = {};
    for (std::size_t j = 0; j < stride; j += kLanes) {
        // Unrolled so that the accumulators stay in registers (-O2 alone keeps them in memory).
        Vec4 cv[C];
#pragma GCC unroll 4
        for (int b = 0; b < C; ++b)
            std::memcpy(&cv[b], c[b] + j, sizeof(Vec4));
#pragma GCC unroll 4
        for (int a = 0; a < R; ++a) {
            Vec4 xv;
            std::memcpy(&xv, x[a] + j, sizeof(Vec4));
#pragma GCC unroll 4
            for (int b = 0; b < C; ++b)
                acc[a][b] += xv * cv[b];
        }
    }
    for (int a = 0; a < R; ++a)
        for (int b = 0; b < C; ++b)
            dots[a * dotStride + b] = horizontalSum(acc[a][b]);
}

template<int R>
[[gnu::always_inline]] inline void dotRows(const float *const *x, const PaddedMatrix &centres, float *dots)
{
    const std::size_t k = centres.rows;
    std::size_t c = 0;
    for (; c + 3 <= k; c += 3) {
        const float *cp[3] = {centres.row(c), centres.row(c + 1), centres.row(c + 2)};
        dotTile<R, 3>(x, cp, centres.stride, dots + c, k);
    }
    if (k - c == 2) {
        const float *cp[2] = {centres.row(c), centres.row(c + 1)};
        dotTile<R, 2>(x, cp, centres.stride, dots + c, k);
    } else if (k - c == 1) {
        const float *cp[1] = {centres.row(c)};
        dotTile<R, 1>(x, cp, centres.stride, dots + c, k);
    }
}

}   // namespace

PaddedMatrix::PaddedMatrix(std::size_t r, std::size_t c)
    : rows(r), cols(c), stride((c + kLanes - 1) / kLanes * kLanes), values(r * stride, 0.0f)
{
}

void runChunks(int threads, std::size_t count, const std::function<void(std::size_t)> &task)
{
    const std::size_t workers = std::min<std::size_t>(std::max(threads, 1), count);
    if (workers <= 1) {
        for (std::size_t i = 0; i < count; ++i)
            task(i);
        return;
    }
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1))
            task(i);
    };
    std::vector<std::jthread> helpers;
    helpers.reserve(workers - 1);
    for (std::size_t t = 1; t < workers; ++t)
        helpers.emplace_back(work);
    work();
}

float squaredNorm(const float *row, std::size_t stride)
{
    Vec4 acc = {};
    for (std::size_t j = 0; j < stride; j += kLanes) {
        Vec4 v;
        std::memcpy(&v, row + j, sizeof(Vec4));
        acc += v * v;
    }
    return horizontalSum(acc);
}

void computeNorms(const PaddedMatrix &m, std::vector<float> &norms)
{
    norms.resize(m.rows);
    for (std::size_t i = 0; i < m.rows; ++i)
        norms[i] = squaredNorm(m.row(i), m.stride);
}

static std::vector<double> columnMeans(const FeatureMatrix &data, int threads)
{
    const std::size_t chunks = (data.rows + kPrepareChunkRows - 1) / kPrepareChunkRows;
    std::vector<double> partial(chunks * data.cols, 0.0);
    runChunks(threads, chunks, [&](std::size_t ch) {
        double *sum = partial.data() + ch * data.cols;
        const std::size_t end = std::min(data.rows, (ch + 1) * kPrepareChunkRows);
        for (std::size_t i = ch * kPrepareChunkRows; i < end; ++i) {
            const float *x = data.row(i);
            for (std::size_t j = 0; j < data.cols; ++j)
                sum[j] += x[j];
        }
    });
    std::vector<double> mean(data.cols, 0.0);
    for (std::size_t ch = 0; ch < chunks; ++ch)   // fixed order: the same sum for any thread count
        for (std::size_t j = 0; j < data.cols; ++j)
            mean[j] += partial[ch * data.cols + j];
    for (double &m : mean)
        m /= double(data.rows);
    return mean;
}

PreparedData prepareData(const FeatureMatrix &data, int threads)
{
    PreparedData p;
    p.mean = columnMeans(data, threads);
    p.centred = PaddedMatrix(data.rows, data.cols);
    p.norms.resize(data.rows);
    const std::size_t chunks = (data.rows + kPrepareChunkRows - 1) / kPrepareChunkRows;
    runChunks(threads, chunks, [&](std::size_t ch) {
        const std::size_t end = std::min(data.rows, (ch + 1) * kPrepareChunkRows);
        for (std::size_t i = ch * kPrepareChunkRows; i < end; ++i) {
            const float *x = data.row(i);
            float *y = p.centred.row(i);
            for (std::size_t j = 0; j < data.cols; ++j)
                y[j] = float(double(x[j]) - p.mean[j]);
            p.norms[i] = squaredNorm(y, p.centred.stride);
        }
    });
    double total = 0;
    for (float n : p.norms)
        total += n;
    p.meanVariance = total / (double(data.rows) * double(data.cols));
    return p;
}

void blockDistances(const PaddedMatrix &data, const float *rowNorms, std::size_t begin, std::size_t count, const PaddedMatrix &centres,
                    const float *centreNorms, float *out)
{
    const std::size_t k = centres.rows;
    std::size_t r = 0;
    for (; r + 3 <= count; r += 3) {
        const float *x[3] = {data.row(begin + r), data.row(begin + r + 1), data.row(begin + r + 2)};
        dotRows<3>(x, centres, out + r * k);
    }
    for (; r < count; ++r) {
        const float *x[1] = {data.row(begin + r)};
        dotRows<1>(x, centres, out + r * k);
    }
    for (r = 0; r < count; ++r) {
        const float xn = rowNorms[begin + r];
        float *o = out + r * k;
        for (std::size_t c = 0; c < k; ++c)
            o[c] = std::max(0.0f, xn - 2.0f * o[c] + centreNorms[c]);
    }
}

void addRow(const float *row, std::size_t stride, double *sum)
{
    // Element-wise, so the sums are the same as a scalar loop's; only the speed changes.
    for (std::size_t j = 0; j < stride; j += 2) {
        Vec2f x;
        Vec2d s;
        std::memcpy(&x, row + j, sizeof(Vec2f));
        std::memcpy(&s, sum + j, sizeof(Vec2d));
        s += __builtin_convertvector(x, Vec2d);
        std::memcpy(sum + j, &s, sizeof(Vec2d));
    }
}

double exactSquaredDistance(const float *a, const float *b, std::size_t stride)
{
    double sum = 0;
    for (std::size_t j = 0; j < stride; ++j) {
        const double d = double(a[j]) - double(b[j]);
        sum += d * d;
    }
    return sum;
}

}   // namespace clade::kmeansdetail
