using MathNet.Numerics;
using Workbench.Core.Statistics;

namespace Workbench.Core.Analytics.Clv;

// X repeat purchase days and the mean value of those days (the first purchase left out), for X >= 1.
public sealed record SpendHistory(int X, double MeanValue, double Weight = 1);

public sealed record GammaGammaParameters(double P, double Q, double Gamma)
{
    // The population mean of a customer's average transaction value, p·γ / (q − 1).
    public double PopulationMean => Q > 1 ? P * Gamma / (Q - 1) : double.PositiveInfinity;
}

public sealed record GammaGammaFit(GammaGammaParameters Parameters, double LogLikelihood, int Evaluations, bool Converged);

// The Gamma-Gamma model of monetary value: Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for
// customer base analysis", Journal of Marketing Research 42(4); as written up in Fader & Hardie (2013),
// "The Gamma-Gamma model of monetary value".
public static class GammaGamma
{
    // The density of the observed mean m̄ given x: Γ(px+q)/(Γ(px)Γ(q)) · γ^q · m̄^(px−1) · x^(px) / (γ + m̄x)^(px+q).
    public static double LogLikelihood(GammaGammaParameters p, SpendHistory c)
    {
        var px = p.P * c.X;
        return SpecialFunctions.GammaLn(px + p.Q) - SpecialFunctions.GammaLn(px) - SpecialFunctions.GammaLn(p.Q)
               + p.Q * Math.Log(p.Gamma) + (px - 1) * Math.Log(c.MeanValue) + px * Math.Log(c.X)
               - (px + p.Q) * Math.Log(p.Gamma + c.MeanValue * c.X);
    }

    // The sum over customers, the gamma functions computed once per distinct x and each customer's ln m̄ once per fit;
    // large inputs in fixed chunks on every core, added in chunk order.
    public static double LogLikelihood(GammaGammaParameters p, IReadOnlyList<SpendHistory> customers) => LogLikelihood(p, new SpendData(customers));

    private static double LogLikelihood(GammaGammaParameters p, SpendData data)
    {
        var lnGamma = Math.Log(p.Gamma);
        var front = new double[data.MaxX + 1];
        for (var x = 0; x <= data.MaxX; x++)
        {
            var px = p.P * x;
            front[x] = SpecialFunctions.GammaLn(px + p.Q) - SpecialFunctions.GammaLn(px) - SpecialFunctions.GammaLn(p.Q) + p.Q * lnGamma + px * Math.Log(x);
        }

        double Sum(int from, int to)
        {
            var total = 0.0;
            for (var i = from; i < to; i++)
            {
                var x = data.X[i];
                var px = p.P * x;
                total += data.Weight[i] * (front[x] + (px - 1) * data.LnMean[i] - (px + p.Q) * Math.Log(p.Gamma + data.MeanTimesX[i]));
            }
            return total;
        }

        return ChunkedSum.Of(data.X.Length, Sum);
    }

    // The histories as columns, with what does not depend on the parameters computed once.
    private sealed class SpendData
    {
        public SpendData(IReadOnlyList<SpendHistory> customers)
        {
            var n = customers.Count;
            X = new int[n];
            LnMean = new double[n];
            MeanTimesX = new double[n];
            Weight = new double[n];
            for (var i = 0; i < n; i++)
            {
                var c = customers[i];
                X[i] = c.X;
                MaxX = Math.Max(MaxX, c.X);
                LnMean[i] = Math.Log(c.MeanValue);
                MeanTimesX[i] = c.MeanValue * c.X;
                Weight[i] = c.Weight;
            }
        }

        public readonly int[] X;
        public readonly double[] LnMean, MeanTimesX, Weight;
        public readonly int MaxX;
    }

    public static GammaGammaFit Fit(IReadOnlyList<SpendHistory> customers, CancellationToken ct = default)
    {
        var usable = customers.Where(c => c.X >= 1 && c.MeanValue > 0).ToList();
        if (usable.Count == 0) throw new ArgumentException("no customer with a repeat purchase of positive value", nameof(customers));
        var mean = usable.Sum(c => c.MeanValue * c.Weight) / usable.Sum(c => c.Weight);
        var data = new SpendData(usable);
        var minimum = LogScaleMinimizer.Minimize(
            p => -LogLikelihood(new GammaGammaParameters(p[0], p[1], p[2]), data),
            [0.0, Math.Log(2.0), Math.Log(Math.Max(mean, 1e-6))], ct);
        var parameters = new GammaGammaParameters(minimum.Point[0], minimum.Point[1], minimum.Point[2]);
        return new GammaGammaFit(parameters, -minimum.Value, minimum.Evaluations, minimum.Converged);
    }

    // E[M | p, q, γ, m̄, x] = (γ + m̄x)·p / (px + q − 1): the customer's expected average transaction value. A customer
    // without a repeat purchase gets the population mean.
    public static double ConditionalExpectedValue(GammaGammaParameters p, int x, double meanValue) =>
        x < 1 || meanValue <= 0 ? p.PopulationMean : (p.Gamma + meanValue * x) * p.P / (p.P * x + p.Q - 1);

}
