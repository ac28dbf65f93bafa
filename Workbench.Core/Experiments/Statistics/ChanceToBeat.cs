using MathNet.Numerics.Distributions;

namespace Workbench.Core.Experiments.Statistics;

// Bayesian chance that the treatment's true value exceeds the control's.
public static class ChanceToBeat
{
    // Rates: each arm's rate has the posterior Beta(1 + successes, 1 + failures) under a uniform Beta(1, 1) prior;
    // P(p_T > p_C) = ∫ f_T(t) F_C(t) dt by the trapezoid rule on one grid spanning both posteriors (mean ± 12 sd,
    // clipped to [0, 1]), with at least 4 points per standard deviation of the narrower posterior (128 to 20,000
    // points); both densities are normalised on the grid itself. Posteriors more than 12 sd apart give 0 or 1.
    public static double Rates(long controlSuccesses, long controlN, long treatmentSuccesses, long treatmentN)
    {
        var (ac, bc) = (1.0 + controlSuccesses, 1.0 + controlN - controlSuccesses);
        var (at, bt) = (1.0 + treatmentSuccesses, 1.0 + treatmentN - treatmentSuccesses);
        var (mc, sc) = BetaMoments(ac, bc);
        var (mt, st) = BetaMoments(at, bt);
        if (Math.Abs(mt - mc) > 12 * (sc + st)) return mt > mc ? 1 : 0;
        var lo = Math.Max(0, Math.Min(mc - 12 * sc, mt - 12 * st));
        var hi = Math.Min(1, Math.Max(mc + 12 * sc, mt + 12 * st));
        var points = (int)Math.Clamp(Math.Ceiling(4 * (hi - lo) / Math.Min(sc, st)), 128, 20_000);
        var h = (hi - lo) / (points - 1);

        // Log densities up to their constants, then shifted by their maxima before exponentiating.
        Span<double> fc = points <= 2048 ? stackalloc double[points] : new double[points];
        Span<double> ft = points <= 2048 ? stackalloc double[points] : new double[points];
        double maxC = double.NegativeInfinity, maxT = double.NegativeInfinity;
        for (var i = 0; i < points; i++)
        {
            var x = lo + i * h;
            var lx = Math.Log(x);
            var l1x = Math.Log(1 - x);
            fc[i] = Term(ac - 1, lx) + Term(bc - 1, l1x);
            ft[i] = Term(at - 1, lx) + Term(bt - 1, l1x);
            maxC = Math.Max(maxC, fc[i]);
            maxT = Math.Max(maxT, ft[i]);
        }
        double sumC = 0, sumT = 0;
        for (var i = 0; i < points; i++)
        {
            fc[i] = Math.Exp(fc[i] - maxC);
            ft[i] = Math.Exp(ft[i] - maxT);
            var w = i == 0 || i == points - 1 ? 0.5 : 1;
            sumC += w * fc[i];
            sumT += w * ft[i];
        }
        // F_C by the cumulative trapezoid with its Euler–Maclaurin end correction −h²/12·f′ (f′ by central differences,
        // so the running integral is O(h⁴)), then ∫ f_T F_C by the trapezoid over the whole grid.
        double cdf = 0, result = 0, previousTerm = 0;
        for (var i = 0; i < points; i++)
        {
            if (i > 0) cdf += 0.5 * (fc[i - 1] + fc[i]) / sumC;
            var slope = i > 0 && i < points - 1 ? (fc[i + 1] - fc[i - 1]) / sumC / 2 : 0;
            var term = ft[i] / sumT * Math.Clamp(cdf - slope / 12, 0, 1);
            if (i > 0) result += 0.5 * (previousTerm + term);
            previousTerm = term;
        }
        return Math.Clamp(result, 0, 1);
    }

    // Means: flat prior, so each mean's posterior is Normal(x̄, s²/n) and the difference Normal(Δ, se²).
    public static double? Means(double difference, double standardError) =>
        standardError > 0 ? Normal.CDF(0, 1, difference / standardError) : null;

    private static double Term(double exponent, double log) => exponent == 0 ? 0 : exponent * log;

    private static (double Mean, double Sd) BetaMoments(double a, double b)
    {
        var s = a + b;
        return (a / s, Math.Sqrt(a * b / (s * s * (s + 1))));
    }
}
