#include "opencv/visualdescriptor.h"

#include "opencv/cvimage.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <exception>

namespace clade {

namespace {

// Changing any constant here changes the vectors: bump the model id with it.
constexpr int kSide = 144;                          // images are resampled to kSide x kSide
constexpr int kLBins = 4, kABins = 6, kBBins = 6;   // colour histogram
constexpr float kChromaRange = 64.0f;               // a*, b* beyond +-64 share the outer bins
constexpr int kGrid = 4;                            // layout and gradient grids
constexpr int kOrientations = 8;                    // unsigned gradient orientation bins
constexpr int kLbpBins = 10;                        // rotation-invariant uniform LBP, 8 neighbours
constexpr float kWeightColour = 1.0f, kWeightLayout = 0.5f, kWeightEdges = 1.5f, kWeightGrid = 1.0f,
                kWeightLbp = 1.5f;   // tuned by 1-NN accuracy on labeled-dev
constexpr int kEdgeLevels = 3;
constexpr int kDimension =
    kLBins * kABins * kBBins + kGrid * kGrid * 4 + (kOrientations + kEdgeLevels) + kGrid * kGrid * kOrientations + 2 * kLbpBins;

// Linear ("soft") assignment of value to two neighbouring bins whose centres split [lo, hi].
void softBin(float value, float lo, float hi, int bins, int &first, float &upperWeight)
{
    const float t = std::clamp((value - lo) / (hi - lo) * bins - 0.5f, 0.0f, float(bins - 1));
    first = std::min(int(t), bins - 2);
    upperWeight = t - float(first);
}

void normalise(std::vector<float> &v)
{
    double sum = 0;
    for (float x : v)
        sum += double(x) * x;
    if (sum > 0)
        for (float &x : v)
            x = float(x / std::sqrt(sum));
}

// Histograms are compared better after a square root (Hellinger): big bins stop dominating.
void rootMapped(std::vector<float> &v)
{
    for (float &x : v)
        x = std::sqrt(std::max(x, 0.0f));
}

void append(std::vector<float> &out, std::vector<float> block, float weight)
{
    normalise(block);
    for (float x : block)
        out.push_back(x * weight);
}

std::vector<float> colourHistogram(const cv::Mat &lab)
{
    std::vector<float> h(kLBins * kABins * kBBins, 0.0f);
    for (int y = 0; y < lab.rows; ++y) {
        const auto *p = lab.ptr<cv::Vec3f>(y);
        for (int x = 0; x < lab.cols; ++x) {
            int l, a, b;
            float wl, wa, wb;
            softBin(p[x][0], 0.0f, 100.0f, kLBins, l, wl);
            softBin(p[x][1], -kChromaRange, kChromaRange, kABins, a, wa);
            softBin(p[x][2], -kChromaRange, kChromaRange, kBBins, b, wb);
            for (int corner = 0; corner < 8; ++corner) {
                const int dl = corner & 1, da = (corner >> 1) & 1, db = corner >> 2;
                const float w = (dl ? wl : 1 - wl) * (da ? wa : 1 - wa) * (db ? wb : 1 - wb);
                h[((l + dl) * kABins + a + da) * kBBins + b + db] += w;
            }
        }
    }
    rootMapped(h);
    return h;
}

cv::Rect cell(int gx, int gy)
{
    const int step = kSide / kGrid;
    return cv::Rect(gx * step, gy * step, step, step);
}

std::vector<float> colourLayout(const cv::Mat &lab)
{
    std::vector<float> v;
    for (int gy = 0; gy < kGrid; ++gy)
        for (int gx = 0; gx < kGrid; ++gx) {
            cv::Scalar mean, stddev;
            cv::meanStdDev(lab(cell(gx, gy)), mean, stddev);
            v.insert(v.end(), {float(mean[0] / 100.0), float(mean[1] / 100.0), float(mean[2] / 100.0), float(stddev[0] / 50.0)});
        }
    return v;
}

struct Gradients
{
    cv::Mat magnitude;   // CV_32F
    cv::Mat angle;       // CV_32F radians, 0..2pi
};

Gradients gradients(const cv::Mat &lightness)
{
    cv::Mat gx, gy;
    cv::Sobel(lightness, gx, CV_32F, 1, 0, 3);
    cv::Sobel(lightness, gy, CV_32F, 0, 1, 3);
    Gradients g;
    cv::cartToPolar(gx, gy, g.magnitude, g.angle);
    return g;
}

// Magnitude-weighted unsigned orientation histogram of one region, circular soft binning.
void addOrientations(const Gradients &g, const cv::Rect &region, float *bins)
{
    const float perBin = float(CV_PI) / kOrientations;
    for (int y = region.y; y < region.y + region.height; ++y) {
        const float *m = g.magnitude.ptr<float>(y);
        const float *a = g.angle.ptr<float>(y);
        for (int x = region.x; x < region.x + region.width; ++x) {
            const float t = std::fmod(a[x], float(CV_PI)) / perBin - 0.5f;
            const float base = std::floor(t);
            const float upper = t - base;
            const int first = (int(base) + kOrientations) % kOrientations;
            bins[first] += m[x] * (1 - upper);
            bins[(first + 1) % kOrientations] += m[x] * upper;
        }
    }
}

// Global orientation histogram plus the share of pixels above three edge strengths.
std::vector<float> edgeStatistics(const Gradients &g)
{
    std::vector<float> v(kOrientations + kEdgeLevels, 0.0f);
    addOrientations(g, cv::Rect(0, 0, kSide, kSide), v.data());
    rootMapped(v);
    const float thresholds[kEdgeLevels] = {20.0f, 60.0f, 160.0f};   // Sobel units on L* 0..100
    for (int level = 0; level < kEdgeLevels; ++level)
        v[kOrientations + level] = float(cv::countNonZero(g.magnitude > thresholds[level])) / (kSide * kSide);
    return v;
}

std::vector<float> orientationGrid(const Gradients &g)
{
    std::vector<float> v(kGrid * kGrid * kOrientations, 0.0f);
    for (int gy = 0; gy < kGrid; ++gy)
        for (int gx = 0; gx < kGrid; ++gx)
            addOrientations(g, cell(gx, gy), v.data() + (gy * kGrid + gx) * kOrientations);
    rootMapped(v);
    return v;
}

// Rotation-invariant uniform LBP codes (0..8 set bits when at most two transitions, else 9).
std::vector<float> lbpHistogram(const cv::Mat &grey)
{
    static const int dx[8] = {-1, 0, 1, 1, 1, 0, -1, -1};
    static const int dy[8] = {-1, -1, -1, 0, 1, 1, 1, 0};
    std::vector<float> h(kLbpBins, 0.0f);
    for (int y = 1; y + 1 < grey.rows; ++y)
        for (int x = 1; x + 1 < grey.cols; ++x) {
            const float centre = grey.at<float>(y, x);
            int bits[8], ones = 0, transitions = 0;
            for (int i = 0; i < 8; ++i) {
                bits[i] = grey.at<float>(y + dy[i], x + dx[i]) >= centre + 0.5f ? 1 : 0;
                ones += bits[i];
            }
            for (int i = 0; i < 8; ++i)
                transitions += bits[i] != bits[(i + 1) % 8];
            h[transitions <= 2 ? ones : kLbpBins - 1] += 1.0f;
        }
    rootMapped(h);
    return h;
}

cv::Mat labOf(const RgbImage &image)
{
    cv::Mat small, asFloat, lab;
    const bool shrinking = image.width >= kSide && image.height >= kSide;
    cv::resize(cvimage::view(image), small, cv::Size(kSide, kSide), 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
    small.convertTo(asFloat, CV_32FC3, 1.0 / 255.0);
    cv::cvtColor(asFloat, lab, cv::COLOR_RGB2Lab);
    return lab;
}

std::vector<float> describeLab(const cv::Mat &lab)
{
    cv::Mat lightness, halfLightness;
    cv::extractChannel(lab, lightness, 0);
    cv::resize(lightness, halfLightness, cv::Size(kSide / 2, kSide / 2), 0, 0, cv::INTER_AREA);
    const Gradients g = gradients(lightness);
    std::vector<float> v;
    v.reserve(kDimension);
    append(v, colourHistogram(lab), kWeightColour);
    append(v, colourLayout(lab), kWeightLayout);
    append(v, edgeStatistics(g), kWeightEdges);
    append(v, orientationGrid(g), kWeightGrid);
    std::vector<float> lbp = lbpHistogram(lightness);
    const std::vector<float> coarse = lbpHistogram(halfLightness);
    lbp.insert(lbp.end(), coarse.begin(), coarse.end());
    append(v, std::move(lbp), kWeightLbp);
    normalise(v);
    return v;
}

}   // namespace

QString VisualDescriptor::modelId() const
{
    return QStringLiteral("clade-visual-v1");
}

int VisualDescriptor::dimension() const
{
    return kDimension;
}

int VisualDescriptor::inputShortSide() const
{
    return kSide;
}

Result<std::vector<float>> VisualDescriptor::describe(const RgbImage &image) const
{
    if (image.isNull() || image.data.size() != std::size_t(image.width) * image.height * 3)
        return fail(QStringLiteral("cannot describe an empty or inconsistent image"));
    try {
        return describeLab(labOf(image));
    } catch (const cv::Exception &e) {
        return fail(QStringLiteral("visual descriptor failed: %1").arg(QString::fromStdString(e.err)));
    } catch (const std::exception &e) {
        return fail(QStringLiteral("visual descriptor failed: %1").arg(QString::fromUtf8(e.what())));
    }
}

Result<std::vector<std::vector<float>>> VisualDescriptor::embed(const std::vector<RgbImage> &images)
{
    std::vector<std::vector<float>> vectors;
    vectors.reserve(images.size());
    for (std::size_t i = 0; i < images.size(); ++i) {
        auto vector = describe(images[i]);
        if (!vector)
            return fail(QStringLiteral("image %1 of the batch: %2").arg(i).arg(vector.error()));
        vectors.push_back(std::move(vector.value()));
    }
    return vectors;
}

}   // namespace clade
