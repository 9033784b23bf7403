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
    int styles = 2;                 // nuisance directions
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
};

struct SicSynthetic
{
    FeatureMatrix images;
    std::vector<int> truth;         // class of each image row
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

} // namespace synthetic_detail

// Needs dims >= classes + styles + 3 (cones, classes and nuisance directions are orthonormal,
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
    std::vector<Vector> classDir, styleDir;
    for (int c = 0; c < s.classes; ++c)
        classDir.push_back(nextDirection());
    for (int v = 0; v < s.styles; ++v)
        styleDir.push_back(nextDirection());

    SicSynthetic out;
    const int n = s.classes * s.imagesPerClass;
    out.images = FeatureMatrix(std::size_t(n), std::size_t(s.dims));
    for (int i = 0; i < n; ++i) {
        const int c = i % s.classes;
        out.truth.push_back(c);
        Vector f = gaussian(rng, s.dims, s.imageNoise);
        addScaled(f, imageCone, 1.0f);
        addScaled(f, classDir[std::size_t(c)], s.classWeight);
        for (const auto &e : styleDir)
            addScaled(f, e, s.styleWeight * normal(rng));
        storeRow(out.images, std::size_t(i), std::move(f), s.imageNorm);
    }

    std::vector<Vector> unrelated{imageCone, textCone};
    unrelated.insert(unrelated.end(), styleDir.begin(), styleDir.end());
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

} // namespace clade::test
