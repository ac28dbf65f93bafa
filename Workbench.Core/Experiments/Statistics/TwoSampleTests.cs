using MathNet.Numerics.Distributions;

namespace Workbench.Core.Experiments.Statistics;

// A treatment against its control. Lifts are treatment − control; relative lift = (treatment − control) / control.
// Null where a figure is undefined (no variance, an empty arm, a zero control value).
public sealed record Comparison(double AbsoluteLift, double? RelativeLift, double? CiLow, double? CiHigh, double? PValue,
    double? Df, double StandardError);

public static class TwoSampleTests
{
    public const double Alpha = 0.05;

    // Two-proportion z-test: pooled standard error for the p-value (under H0 the two rates are one),
    // unpooled (Wald) standard error for the interval of the difference.
    public static Comparison Rates(long controlSuccesses, long controlN, long treatmentSuccesses, long treatmentN, double alpha = Alpha)
    {
        if (controlN == 0 || treatmentN == 0) return Undefined(double.NaN);
        var pc = (double)controlSuccesses / controlN;
        var pt = (double)treatmentSuccesses / treatmentN;
        var diff = pt - pc;
        var pooled = (double)(controlSuccesses + treatmentSuccesses) / (controlN + treatmentN);
        var pooledSe = Math.Sqrt(pooled * (1 - pooled) * (1.0 / controlN + 1.0 / treatmentN));
        var waldSe = Math.Sqrt(pc * (1 - pc) / controlN + pt * (1 - pt) / treatmentN);
        double? p = pooledSe > 0 ? 2 * Normal.CDF(0, 1, -Math.Abs(diff / pooledSe)) : null;
        var z = Normal.InvCDF(0, 1, 1 - alpha / 2);
        double? low = waldSe > 0 ? diff - z * waldSe : null;
        double? high = waldSe > 0 ? diff + z * waldSe : null;
        return new Comparison(diff, Relative(diff, pc), low, high, p, null, waldSe);
    }

    // Welch's t-test: unequal variances, Welch–Satterthwaite degrees of freedom, the t interval.
    public static Comparison Means(long controlN, double controlMean, double controlVariance,
        long treatmentN, double treatmentMean, double treatmentVariance, double alpha = Alpha)
    {
        var diff = treatmentMean - controlMean;
        if (controlN < 2 || treatmentN < 2) return Undefined(diff, Relative(diff, controlMean));
        var vc = controlVariance / controlN;
        var vt = treatmentVariance / treatmentN;
        var se = Math.Sqrt(vc + vt);
        if (!(se > 0)) return Undefined(diff, Relative(diff, controlMean));
        var df = (vc + vt) * (vc + vt) / (vc * vc / (controlN - 1) + vt * vt / (treatmentN - 1));
        var p = 2 * StudentT.CDF(0, 1, df, -Math.Abs(diff / se));
        var t = TQuantile(1 - alpha / 2, df);
        return new Comparison(diff, Relative(diff, controlMean), diff - t * se, diff + t * se, p, df, se);
    }

    // MathNet's t inverse is a root search (slow across 100,000 cells); from 30 degrees of freedom on, the
    // Cornish–Fisher expansion in 1/ν (Abramowitz & Stegun 26.7.5, four terms) agrees with it to better than 1e-7.
    public static double TQuantile(double p, double df)
    {
        if (df < 30) return StudentT.InvCDF(0, 1, df, p);
        var z = Normal.InvCDF(0, 1, p);
        var z2 = z * z;
        var g1 = (z2 + 1) * z / 4;
        var g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
        var g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
        var g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
        return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
    }

    private static double? Relative(double diff, double control) => control != 0 ? diff / control : null;

    private static Comparison Undefined(double diff, double? relative = null) => new(diff, relative, null, null, null, null, double.NaN);
}
