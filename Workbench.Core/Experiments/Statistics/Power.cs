using MathNet.Numerics.Distributions;

namespace Workbench.Core.Experiments.Statistics;

// Power of a two-sided test of a difference at level α (normal approximation, as in every sample-size table):
// power = Φ(|δ| / se − z_{1−α/2}), ignoring the far tail. se for rates uses each arm's rate (baseline and baseline + δ);
// for means one common standard deviation.
public static class Power
{
    public static double ForRates(double baselineRate, double absoluteEffect, long controlN, long treatmentN, double alpha = TwoSampleTests.Alpha)
    {
        var pt = baselineRate + absoluteEffect;
        var se = Math.Sqrt(baselineRate * (1 - baselineRate) / controlN + pt * (1 - pt) / treatmentN);
        return se > 0 ? Normal.CDF(0, 1, Math.Abs(absoluteEffect) / se - Z(1 - alpha / 2)) : double.NaN;
    }

    public static double ForMeans(double standardDeviation, double absoluteEffect, long controlN, long treatmentN, double alpha = TwoSampleTests.Alpha)
    {
        var se = standardDeviation * Math.Sqrt(1.0 / controlN + 1.0 / treatmentN);
        return se > 0 ? Normal.CDF(0, 1, Math.Abs(absoluteEffect) / se - Z(1 - alpha / 2)) : double.NaN;
    }

    // Minimum detectable effect (absolute) for a mean: (z_{1−α/2} + z_{power}) · sd · sqrt(1/n_c + 1/n_t).
    public static double MdeForMeans(double standardDeviation, long controlN, long treatmentN, double power = 0.8, double alpha = TwoSampleTests.Alpha) =>
        (Z(1 - alpha / 2) + Z(power)) * standardDeviation * Math.Sqrt(1.0 / controlN + 1.0 / treatmentN);

    // For a rate the variance depends on the effect itself: the smallest δ > 0 whose power reaches the target. With
    // k = z_{1−α/2} + z_power, power ≥ target ⟺ δ / se(δ) ≥ k, se(δ)² = p(1−p)/n_c + (p+δ)(1−p−δ)/n_t; squaring gives
    // (1 + B) δ² − B(1 − 2p) δ − (k² p(1−p)/n_c + B p(1−p)) = 0 with B = k²/n_t, whose one positive root is the MDE
    // (the constant term is negative, so the other root is negative). NaN when even δ = 1 − p falls short.
    public static double MdeForRates(double baselineRate, long controlN, long treatmentN, double power = 0.8, double alpha = TwoSampleTests.Alpha)
    {
        var p = baselineRate;
        var k = Z(1 - alpha / 2) + Z(power);
        var b = k * k / treatmentN;
        var c = k * k * p * (1 - p) / controlN + b * p * (1 - p);
        var linear = b * (1 - 2 * p);
        var delta = (linear + Math.Sqrt(linear * linear + 4 * (1 + b) * c)) / (2 * (1 + b));
        return delta <= 1 - p && double.IsFinite(delta) ? delta : double.NaN;
    }

    // Units per arm (equal arms) for a mean: 2 (z_{1−α/2} + z_power)² sd² / δ².
    public static long UnitsPerArmForMeans(double standardDeviation, double absoluteEffect, double power = 0.8, double alpha = TwoSampleTests.Alpha)
    {
        var z = Z(1 - alpha / 2) + Z(power);
        return (long)Math.Ceiling(2 * z * z * standardDeviation * standardDeviation / (absoluteEffect * absoluteEffect));
    }

    // Units per arm (equal arms) for a rate: (z_{1−α/2} + z_power)² (p_c(1−p_c) + p_t(1−p_t)) / δ².
    public static long UnitsPerArmForRates(double baselineRate, double absoluteEffect, double power = 0.8, double alpha = TwoSampleTests.Alpha)
    {
        var z = Z(1 - alpha / 2) + Z(power);
        var pt = baselineRate + absoluteEffect;
        return (long)Math.Ceiling(z * z * (baselineRate * (1 - baselineRate) + pt * (1 - pt)) / (absoluteEffect * absoluteEffect));
    }

    private static double Z(double p) => Normal.InvCDF(0, 1, p);
}
