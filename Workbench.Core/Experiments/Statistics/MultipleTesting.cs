namespace Workbench.Core.Experiments.Statistics;

public enum Correction { BenjaminiHochberg, Holm, None }

// Which p-values form one family: every cell of one metric, every cell of one experiment, or every cell of every
// experiment in the week's portfolio.
public enum CorrectionScope { Metric, Experiment, Portfolio }

public sealed record Hypothesis(string Experiment, string Metric, double? PValue);

public static class MultipleTesting
{
    // Adjusted p-values, monotone in the raw p-values and capped at 1. Null p-values take no part and stay null.
    // Benjamini–Hochberg (1995): p̃(i) = min over j ≥ i of m·p(j)/j. Holm (1979): p̃(i) = max over j ≤ i of (m − j + 1)·p(j).
    public static double?[] Adjust(IReadOnlyList<double?> pValues, Correction correction)
    {
        var adjusted = new double?[pValues.Count];
        var order = Enumerable.Range(0, pValues.Count).Where(i => pValues[i] is not null)
            .OrderBy(i => pValues[i]!.Value).ThenBy(i => i).ToArray();
        var m = order.Length;
        switch (correction)
        {
            case Correction.None:
                foreach (var i in order) adjusted[i] = pValues[i];
                break;
            case Correction.BenjaminiHochberg:
                var running = 1.0;
                for (var rank = m; rank >= 1; rank--)
                {
                    var i = order[rank - 1];
                    running = Math.Min(running, pValues[i]!.Value * m / rank);
                    adjusted[i] = running;
                }
                break;
            case Correction.Holm:
                var max = 0.0;
                for (var rank = 1; rank <= m; rank++)
                {
                    var i = order[rank - 1];
                    max = Math.Max(max, Math.Min(1, (m - rank + 1) * pValues[i]!.Value));
                    adjusted[i] = max;
                }
                break;
        }
        return adjusted;
    }

    // The same, family by family as the scope says.
    public static double?[] Adjust(IReadOnlyList<Hypothesis> hypotheses, Correction correction, CorrectionScope scope)
    {
        var adjusted = new double?[hypotheses.Count];
        var families = Enumerable.Range(0, hypotheses.Count).GroupBy(i => scope switch
        {
            CorrectionScope.Metric => (hypotheses[i].Experiment, hypotheses[i].Metric),
            CorrectionScope.Experiment => (hypotheses[i].Experiment, ""),
            _ => ("", ""),
        });
        foreach (var family in families)
        {
            var members = family.ToArray();
            var result = Adjust(members.Select(i => hypotheses[i].PValue).ToArray(), correction);
            for (var k = 0; k < members.Length; k++) adjusted[members[k]] = result[k];
        }
        return adjusted;
    }
}
