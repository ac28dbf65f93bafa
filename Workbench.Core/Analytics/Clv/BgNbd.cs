using MathNet.Numerics;
using Workbench.Core.Statistics;

namespace Workbench.Core.Analytics.Clv;

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

    // The sum over customers, with the terms that depend on x alone computed once per distinct x and the logarithms of
    // α + T and α + t_x once per distinct T and t_x (a few hundred days among a million customers). Large inputs are
    // summed in fixed chunks on every core, added in chunk order, so the result does not depend on scheduling.
    public static double LogLikelihood(BgNbdParameters p, IReadOnlyList<RepeatHistory> customers) => LogLikelihood(p, new RepeatData(customers));

    private static double LogLikelihood(BgNbdParameters p, RepeatData data)
    {
        var (r, alpha, a, b) = (p.R, p.Alpha, p.A, p.B);
        var lnT = new double[data.Ts.Length];
        for (var k = 0; k < lnT.Length; k++) lnT[k] = Math.Log(alpha + data.Ts[k]);
        var lnTx = new double[data.Txs.Length];
        for (var k = 0; k < lnTx.Length; k++) lnTx[k] = Math.Log(alpha + data.Txs[k]);
        var gammas = new double[data.MaxX + 1];
        var lnA4Front = new double[data.MaxX + 1];
        for (var x = 0; x <= data.MaxX; x++)
        {
            gammas[x] = SpecialFunctions.GammaLn(r + x) + SpecialFunctions.GammaLn(b + x) - SpecialFunctions.GammaLn(a + b + x);
            lnA4Front[x] = x > 0 ? Math.Log(a) - Math.Log(b + x - 1) : 0;
        }
        var constant = -SpecialFunctions.GammaLn(r) + r * Math.Log(alpha) + SpecialFunctions.GammaLn(a + b) - SpecialFunctions.GammaLn(b);

        double Sum(int from, int to)
        {
            var total = 0.0;
            for (var i = from; i < to; i++)
            {
                var x = data.X[i];
                var lnA3 = -(r + x) * lnT[data.T[i]];
                var last = x == 0 ? lnA3 : LogSumExp(lnA3, lnA4Front[x] - (r + x) * lnTx[data.Tx[i]]);
                total += data.Weight[i] * (constant + gammas[x] + last);
            }
            return total;
        }

        return ChunkedSum.Of(data.X.Length, Sum);
    }

    // The histories as columns, T and t_x as indexes into their distinct values.
    private sealed class RepeatData
    {
        public RepeatData(IReadOnlyList<RepeatHistory> customers)
        {
            var n = customers.Count;
            X = new int[n];
            T = new int[n];
            Tx = new int[n];
            Weight = new double[n];
            var ts = new Dictionary<double, int>();
            var txs = new Dictionary<double, int>();
            for (var i = 0; i < n; i++)
            {
                var c = customers[i];
                X[i] = c.X;
                MaxX = Math.Max(MaxX, c.X);
                T[i] = Index(ts, c.T);
                Tx[i] = Index(txs, c.Tx);
                Weight[i] = c.Weight;
            }
            Ts = [.. ts.OrderBy(e => e.Value).Select(e => e.Key)];
            Txs = [.. txs.OrderBy(e => e.Value).Select(e => e.Key)];
        }

        public readonly int[] X, T, Tx;
        public readonly double[] Weight, Ts, Txs;
        public readonly int MaxX;

        private static int Index(Dictionary<double, int> values, double value)
        {
            if (!values.TryGetValue(value, out var index)) values[value] = index = values.Count;
            return index;
        }
    }

    public static BgNbdFit Fit(IReadOnlyList<RepeatHistory> customers, CancellationToken ct = default)
    {
        if (customers.Count == 0) throw new ArgumentException("no customers to fit", nameof(customers));
        // Started from the usual 1, 1, 1, 1 scale, alpha at the mean calibration length.
        var data = new RepeatData(customers);
        var minimum = LogScaleMinimizer.Minimize(
            p => -LogLikelihood(new BgNbdParameters(p[0], p[1], p[2], p[3]), data),
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
