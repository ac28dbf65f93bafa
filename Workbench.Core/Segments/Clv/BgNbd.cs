using MathNet.Numerics;

namespace Workbench.Core.Segments.Clv;

// One customer's calibration summary in the literature's terms, time in weeks: X repeat purchase days, Tx the time
// from the first to the last purchase, T from the first purchase to the calibration end. Weight lets identical
// summaries be passed once.
public sealed record RepeatHistory(int X, double Tx, double T, double Weight = 1);

public sealed record BgNbdParameters(double R, double Alpha, double A, double B);

public sealed record BgNbdFit(BgNbdParameters Parameters, double LogLikelihood, int Evaluations, bool Converged);

// The BG/NBD model of Fader, Hardie & Lee (2005), "Counting your customers the easy way", Marketing Science 24(2).
public static class BgNbd
{
    // Equation (6) of the paper, on the log scale.
    public static double LogLikelihood(BgNbdParameters p, RepeatHistory c)
    {
        var (r, alpha, a, b) = (p.R, p.Alpha, p.A, p.B);
        var x = c.X;
        var lnA1 = SpecialFunctions.GammaLn(r + x) - SpecialFunctions.GammaLn(r) + r * Math.Log(alpha);
        var lnA2 = SpecialFunctions.GammaLn(a + b) + SpecialFunctions.GammaLn(b + x) - SpecialFunctions.GammaLn(b)
                   - SpecialFunctions.GammaLn(a + b + x);
        var lnA3 = -(r + x) * Math.Log(alpha + c.T);
        if (x == 0) return lnA1 + lnA2 + lnA3;
        var lnA4 = Math.Log(a) - Math.Log(b + x - 1) - (r + x) * Math.Log(alpha + c.Tx);
        return lnA1 + lnA2 + LogSumExp(lnA3, lnA4);
    }

    // The sum over customers, with the terms that depend on x alone computed once per distinct x. Large inputs are
    // summed in fixed chunks on every core, added in chunk order, so the result does not depend on scheduling.
    public static double LogLikelihood(BgNbdParameters p, IReadOnlyList<RepeatHistory> customers)
    {
        if (customers.Count < ParallelFrom) return LogLikelihood(p, customers, 0, customers.Count);
        var chunks = Math.Max(1, Environment.ProcessorCount);
        var partial = new double[chunks];
        var size = (customers.Count + chunks - 1) / chunks;
        Parallel.For(0, chunks, c => partial[c] = LogLikelihood(p, customers, c * size, Math.Min(customers.Count, (c + 1) * size)));
        var total = 0.0;
        foreach (var value in partial) total += value;
        return total;
    }

    private const int ParallelFrom = 20_000;

    private static double LogLikelihood(BgNbdParameters p, IReadOnlyList<RepeatHistory> customers, int from, int to)
    {
        var (r, alpha, a, b) = (p.R, p.Alpha, p.A, p.B);
        var constant = -SpecialFunctions.GammaLn(r) + r * Math.Log(alpha) + SpecialFunctions.GammaLn(a + b) - SpecialFunctions.GammaLn(b);
        var perX = new Dictionary<int, (double Gammas, double LnA4Front)>();
        var total = 0.0;
        for (var i = from; i < to; i++)
        {
            var c = customers[i];
            var x = c.X;
            if (!perX.TryGetValue(x, out var terms))
            {
                terms = (SpecialFunctions.GammaLn(r + x) + SpecialFunctions.GammaLn(b + x) - SpecialFunctions.GammaLn(a + b + x),
                    x > 0 ? Math.Log(a) - Math.Log(b + x - 1) : 0);
                perX[x] = terms;
            }
            var lnA3 = -(r + x) * Math.Log(alpha + c.T);
            var last = x == 0 ? lnA3 : LogSumExp(lnA3, terms.LnA4Front - (r + x) * Math.Log(alpha + c.Tx));
            total += c.Weight * (constant + terms.Gammas + last);
        }
        return total;
    }

    public static BgNbdFit Fit(IReadOnlyList<RepeatHistory> customers, CancellationToken ct = default)
    {
        if (customers.Count == 0) throw new ArgumentException("no customers to fit", nameof(customers));
        // Started from the usual 1, 1, 1, 1 scale, alpha at the mean calibration length.
        var minimum = LogScaleMinimizer.Minimize(
            p => -LogLikelihood(new BgNbdParameters(p[0], p[1], p[2], p[3]), customers),
            [0.0, Math.Log(Math.Max(MeanT(customers), 1)), 0.0, 0.0], ct);
        var parameters = new BgNbdParameters(minimum.Point[0], minimum.Point[1], minimum.Point[2], minimum.Point[3]);
        return new BgNbdFit(parameters, -minimum.Value, minimum.Evaluations, minimum.Converged);
    }

    // P(alive | x, t_x, T), from Fader, Hardie & Lee (2008), "Computing P(alive) using the BG/NBD model".
    public static double ProbabilityAlive(BgNbdParameters p, RepeatHistory c)
    {
        if (c.X == 0) return 1;
        return 1 / (1 + p.A / (p.B + c.X - 1) * Math.Pow((p.Alpha + c.T) / (p.Alpha + c.Tx), p.R + c.X));
    }

    // E[Y(t) | x, t_x, T]: expected repeat purchases in the next t weeks (the paper's conditional expectation).
    public static double ConditionalExpectedPurchases(BgNbdParameters p, RepeatHistory c, double t)
    {
        var (r, alpha, a, b) = (p.R, p.Alpha, p.A, p.B);
        var x = c.X;
        var z = t / (alpha + c.T + t);
        var front = (a + b + x - 1) / (a - 1);
        var bracket = 1 - Math.Pow((alpha + c.T) / (alpha + c.T + t), r + x) * Hypergeometric.Hyp2F1(r + x, b + x, a + b + x - 1, z);
        var denominator = 1 + (x > 0 ? a / (b + x - 1) * Math.Pow((alpha + c.T) / (alpha + c.Tx), r + x) : 0);
        return front * bracket / denominator;
    }

    // E[X(t)]: expected repeat purchases of a new customer in the t weeks after the first purchase.
    public static double ExpectedPurchases(BgNbdParameters p, double t)
    {
        if (t <= 0) return 0;
        var (r, alpha, a, b) = (p.R, p.Alpha, p.A, p.B);
        return (a + b - 1) / (a - 1) * (1 - Math.Pow(alpha / (alpha + t), r) * Hypergeometric.Hyp2F1(r, b, a + b - 1, t / (alpha + t)));
    }

    private static double MeanT(IReadOnlyList<RepeatHistory> customers)
    {
        double sum = 0, weight = 0;
        foreach (var c in customers)
        {
            sum += c.T * c.Weight;
            weight += c.Weight;
        }
        return weight > 0 ? sum / weight : 1;
    }

    internal static double LogSumExp(double u, double v)
    {
        var max = Math.Max(u, v);
        return max + Math.Log(Math.Exp(u - max) + Math.Exp(v - max));
    }
}
