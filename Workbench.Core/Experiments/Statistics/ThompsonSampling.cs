using MathNet.Numerics.Distributions;

namespace Workbench.Core.Experiments.Statistics;

public sealed record ArmPosterior(string Variant, double Successes, double Failures);

public sealed record ArmAllocation(string Variant, double ProbabilityBest, double Share);

// Thompson sampling for the next run: draw every arm's rate from its Beta(1 + successes, 1 + failures) posterior,
// count how often each arm is the best, and allocate in proportion (Monte Carlo, seeded: the same seed and results give
// the same recommendation). minShare keeps every arm (the control above all) at a floor so learning never stops;
// the rest is shared in proportion to the probability of being best.
public static class ThompsonSampling
{
    public static IReadOnlyList<ArmAllocation> Allocate(IReadOnlyList<ArmPosterior> arms, int seed, int draws = 10_000, double minShare = 0)
    {
        if (arms.Count == 0) return [];
        if (minShare * arms.Count > 1) throw new ArgumentOutOfRangeException(nameof(minShare), "the floors add up to more than 100%");
        var random = new Random(seed);
        var wins = new int[arms.Count];
        for (var d = 0; d < draws; d++)
        {
            var best = 0;
            var bestValue = double.NegativeInfinity;
            for (var a = 0; a < arms.Count; a++)
            {
                var v = Beta.Sample(random, 1 + arms[a].Successes, 1 + arms[a].Failures);
                if (v > bestValue) (best, bestValue) = (a, v);
            }
            wins[best]++;
        }
        return arms.Select((arm, a) =>
        {
            var probability = (double)wins[a] / draws;
            return new ArmAllocation(arm.Variant, probability, minShare + (1 - minShare * arms.Count) * probability);
        }).ToList();
    }
}
