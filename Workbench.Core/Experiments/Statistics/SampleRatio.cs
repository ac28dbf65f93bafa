using MathNet.Numerics;

namespace Workbench.Core.Experiments.Statistics;

public sealed record SampleRatioCheck(double ChiSquare, double PValue, int Df, bool Mismatch);

// Sample-ratio mismatch: Pearson's χ² goodness of fit of the units per variant to the planned allocation,
// k − 1 degrees of freedom. A mismatch is flagged at p < 0.001 (assignment is broken, not unlucky).
public static class SampleRatio
{
    public const double Threshold = 0.001;

    public static SampleRatioCheck Check(IReadOnlyList<long> observed, IReadOnlyList<double> plannedShares)
    {
        if (observed.Count != plannedShares.Count || observed.Count < 2)
            throw new ArgumentException("one planned share per variant, at least two variants");
        var total = observed.Sum();
        var shareSum = plannedShares.Sum();
        var chi = 0.0;
        for (var i = 0; i < observed.Count; i++)
        {
            var expected = total * plannedShares[i] / shareSum;
            chi += expected > 0 ? (observed[i] - expected) * (observed[i] - expected) / expected : 0;
        }
        var df = observed.Count - 1;
        var p = total == 0 ? 1 : SpecialFunctions.GammaUpperRegularized(df / 2.0, chi / 2);
        return new SampleRatioCheck(chi, p, df, p < Threshold);
    }
}
