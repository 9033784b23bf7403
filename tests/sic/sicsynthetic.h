#pragma once

// Synthetic embeddings for SIC tests and benchmarks (header-only, plain C++/Qt).
// Every image is  common + classScale·u_class + Σ_v styleScale·z_v·v_v + noise (z ~ N(0,1)),
// so with styleScale > classScale the continuous nuisance (background, lighting) dominates
// Euclidean distance. Noun texts live in a separate "text" region (CLIP's modality gap): class nouns are
// textCommon + u_class + noise, distractor nouns point elsewhere, generic nouns sit on the
// text mean. Only the text side knows which direction is the class.

#include "common/matrix.h"

#include <QString>
#include <QStringList>

#include <cmath>
#include <random>
#include <vector>

namespace clade::test {

struct SicSyntheticSpec
{
    int classes = 10;
    int styles = 2;                // nuisance directions
    int imagesPerClass = 60;
    int dims = 64;
    float classScale = 1.0f;
    float styleScale = 3.0f;
    float imageNoise = 0.02f;      // per dimension
    int nounsPerClass = 20;
    int distractorNouns = 200;
    int genericNouns = 20;
    float textNoise = 0.15f;       // per noun, relative to the unit class direction
    unsigned seed = 1;
};

struct SicSynthetic
{
    FeatureMatrix images;
    std::vector<int> truth;         // class of each image row
    std::vector<int> styles;        // unused by the methods; a coarse nuisance side per row
    FeatureMatrix texts;
    QStringList nouns;
};

inline std::vector<float> randomUnit(std::mt19937 &rng, int dims)
{
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> v(static_cast<std::size_t>(dims));
    double norm = 0;
    for (float &x : v) {
        x = normal(rng);
        norm += double(x) * x;
    }
    for (float &x : v)
        x = float(x / std::sqrt(norm));
    return v;
}

// Removes from v its components along the (orthonormal) `basis` vectors and renormalises.
inline void orthogonalise(std::vector<float> &v, const std::vector<std::vector<float>> &basis)
{
    for (const auto &b : basis) {
        double dot = 0;
        for (std::size_t d = 0; d < v.size(); ++d)
            dot += double(v[d]) * b[d];
        for (std::size_t d = 0; d < v.size(); ++d)
            v[d] -= float(dot) * b[d];
    }
    double norm = 0;
    for (float x : v)
        norm += double(x) * x;
    for (float &x : v)
        x = float(x / std::sqrt(norm));
}

// Needs dims >= classes + styles + 2: the two common directions, the class and the style
// directions are orthonormal, and no noun has a component along a style (the nuisance is not
// nameable), which is the premise of the benchmark.
inline SicSynthetic makeSicSynthetic(const SicSyntheticSpec &s)
{
    std::mt19937 rng(s.seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<std::vector<float>> basis;
    auto nextDirection = [&] {
        auto v = randomUnit(rng, s.dims);
        orthogonalise(v, basis);
        basis.push_back(v);
        return v;
    };
    const auto imageCommon = nextDirection();
    const auto textCommon = nextDirection();
    std::vector<std::vector<float>> classDir, styleDir;
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
        float *row = out.images.row(std::size_t(i));
        for (int d = 0; d < s.dims; ++d)
            row[d] = 2.0f * imageCommon[d] + s.classScale * classDir[c][d] + s.imageNoise * normal(rng);
        // The nuisance varies continuously (lighting, background) along a few directions.
        for (int v = 0; v < s.styles; ++v) {
            const float amount = s.styleScale * normal(rng);
            for (int d = 0; d < s.dims; ++d)
                row[d] += amount * styleDir[v][d];
        }
        out.styles.push_back(row[0] > 0 ? 1 : 0);
    }
    const int m = s.classes * s.nounsPerClass + s.distractorNouns + s.genericNouns;
    out.texts = FeatureMatrix(std::size_t(m), std::size_t(s.dims));
    for (int w = 0; w < m; ++w) {
        float *row = out.texts.row(std::size_t(w));
        std::vector<float> dir;
        float weight = 1.0f;
        if (w < s.classes * s.nounsPerClass) {
            dir = classDir[std::size_t(w / s.nounsPerClass)];
            out.nouns.append(QStringLiteral("class_%1_noun%2").arg(w / s.nounsPerClass).arg(w % s.nounsPerClass));
        } else if (w < s.classes * s.nounsPerClass + s.distractorNouns) {
            dir = randomUnit(rng, s.dims);
            orthogonalise(dir, styleDir);
            out.nouns.append(QStringLiteral("distractor_%1").arg(w));
        } else {
            dir = std::vector<float>(std::size_t(s.dims), 0.0f);
            weight = 0.0f;
            out.nouns.append(QStringLiteral("generic_%1").arg(w));
        }
        const float noise = weight > 0 ? s.textNoise / std::sqrt(float(s.dims)) : 0.01f;
        for (int d = 0; d < s.dims; ++d)
            row[d] = textCommon[d] + weight * dir[std::size_t(d)] + noise * normal(rng);
    }
    return out;
}

} // namespace clade::test
