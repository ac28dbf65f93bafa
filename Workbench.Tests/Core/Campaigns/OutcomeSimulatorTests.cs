using Workbench.Core.Campaigns;

namespace Workbench.Tests.Core.Campaigns;

// The response simulator against its own stated model, with expected values worked by hand from it.
public sealed class OutcomeSimulatorTests
{
    private static readonly DateTime At = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);

    private static List<SimulatedSend> Sends(int perArm, string channel, params (string Variant, long? Segment)[] arms) =>
        arms.SelectMany(a => Enumerable.Range(0, perArm).Select(i => new SimulatedSend($"{a.Variant}{a.Segment}-{i:D6}", a.Variant, a.Segment, channel, At))).ToList();

    [Fact]
    public void Plant_IsSeeded_AndWithinItsStatedRanges()
    {
        var a = OutcomeSimulator.Plant(["b", "a"], [7, null], seed: 3);
        Assert.Equal(a.VariantLift, OutcomeSimulator.Plant(["a", "b"], [null, 7], seed: 3).VariantLift);
        Assert.NotEqual(a.VariantLift, OutcomeSimulator.Plant(["a", "b"], [7, null], seed: 4).VariantLift);
        Assert.Equal(["a", "b"], a.VariantLift.Keys);
        Assert.All(a.VariantLift.Values, v => Assert.InRange(v, -0.10, 0.30));
        Assert.Equal(4, a.CellLift.Count);
        Assert.All(a.CellLift.Values, v => Assert.InRange(v, -0.15, 0.15));
        Assert.Equal(a.VariantLift["a"] + a.CellLift[(7, "a")], a.TrueLift(7, "a"));
    }

    // The draws' seed is the stated seed × 7919 + 17, the same in every process (HashCode.Combine, used before, is
    // randomised per process, so "the same seed" gave other outcomes on the next start).
    [Fact]
    public void TheDrawsSeed_IsStableAcrossProcesses()
    {
        var effects = OutcomeSimulator.Plant(["a"], [null], seed: 20261109);
        var expected = new Random(unchecked(20261109 * 7919 + 17));
        var actual = OutcomeSimulator.RandomFor(effects);
        Assert.Equal(Enumerable.Range(0, 5).Select(_ => expected.Next()), Enumerable.Range(0, 5).Select(_ => actual.Next()));
    }

    // A response scale multiplies the base conversion rate: 200,000 e-mail sends without lift at scale 3 convert at
    // 0.97 × 0.03 × 3 = 0.0873, within 4 standard errors.
    [Fact]
    public void TheResponseScale_MultipliesTheBaseConversionRate()
    {
        var effects = new PlantedEffects(5, new Dictionary<string, double> { ["a"] = 0 }, new Dictionary<(long?, string), double>(), ResponseScale: 3);
        var outcomes = OutcomeSimulator.Simulate(Sends(200_000, "email", ("a", null)), effects).ToList();
        var rate = outcomes.Count(o => o.ConvertedAt is not null) / 200_000.0;
        Assert.InRange(rate, 0.0873 - 4 * Math.Sqrt(0.0873 * 0.9127 / 200_000), 0.0873 + 4 * Math.Sqrt(0.0873 * 0.9127 / 200_000));
    }

    // 200,000 e-mail sends per arm. Expected per send, from the stated model: delivered 0.97; opened 0.97 × 0.22 = 0.2134;
    // clicked 0.2134 × 0.12 = 0.025608; converted 0.97 × 0.03 × (1 + planted lift); unsubscribed 0.97 × 0.002 = 0.00194;
    // revenue per conversion log-normal with median 45, σ = 0.6: mean 45·e^(0.18) = 53.874, sd 53.874·√(e^0.36 − 1) = 34.93.
    // Each observed figure within 4 standard errors of its expectation.
    [Fact]
    public void Simulate_MatchesItsStatedRates_AndPlantsTheLiftsPerVariantAndSegment()
    {
        const int n = 200_000;
        var effects = new PlantedEffects(11, new Dictionary<string, double> { ["a"] = 0.0, ["b"] = 0.25 },
            new Dictionary<(long?, string), double> { [(5, "b")] = -0.15 });
        var sends = Sends(n, "email", ("a", null), ("b", null), ("b", 5));
        var outcomes = OutcomeSimulator.Simulate(sends, effects).ToList();
        Assert.Equal(outcomes, OutcomeSimulator.Simulate(sends, effects).ToList());

        static void Near(double expected, IReadOnlyCollection<bool> hits)
        {
            var observed = hits.Count(h => h) / (double)hits.Count;
            var se = Math.Sqrt(expected * (1 - expected) / hits.Count);
            Assert.True(Math.Abs(observed - expected) < 4 * se, $"observed {observed:0.00000}, expected {expected:0.00000} ± {4 * se:0.00000}");
        }
        var arms = outcomes.Zip(sends).GroupBy(p => (p.Second.Variant, p.Second.SegmentId)).ToDictionary(g => g.Key, g => g.Select(p => p.First).ToList());
        var all = outcomes;
        Near(0.97, all.Select(o => o.DeliveredAt is not null).ToList());
        Near(0.2134, all.Select(o => o.OpenedAt is not null).ToList());
        Near(0.025608, all.Select(o => o.ClickedAt is not null).ToList());
        Near(0.00194, all.Select(o => o.UnsubscribedAt is not null).ToList());
        Near(0.97 * 0.03 * 1.00, arms[("a", null)].Select(o => o.ConvertedAt is not null).ToList());
        Near(0.97 * 0.03 * 1.25, arms[("b", null)].Select(o => o.ConvertedAt is not null).ToList());
        Near(0.97 * 0.03 * 1.10, arms[("b", 5)].Select(o => o.ConvertedAt is not null).ToList());

        var revenue = all.Where(o => o.Revenue is not null).Select(o => o.Revenue!.Value).ToList();
        Assert.True(Math.Abs(revenue.Average() - 53.874) < 4 * 34.93 / Math.Sqrt(revenue.Count), $"mean revenue {revenue.Average():0.00}");
        // Margin is 32% of the unrounded basket, each rounded to cents: within 0.005 + 0.32 × 0.005 of 32% of the revenue.
        Assert.All(all.Where(o => o.Margin is not null), o => Assert.InRange(o.Margin!.Value - 0.32 * o.Revenue!.Value, -0.0066, 0.0066));
        // Order of events: delivered after the send, opened after delivery, clicked after the open, converted not before delivery.
        Assert.All(all.Where(o => o.DeliveredAt is not null), o =>
        {
            Assert.InRange(o.DeliveredAt!.Value, At.AddMinutes(1), At.AddMinutes(10));
            if (o.OpenedAt is { } opened) Assert.True(opened >= o.DeliveredAt);
            if (o.ClickedAt is { } clicked && o.OpenedAt is { } open) Assert.True(clicked > open);
            if (o.ConvertedAt is { } converted) Assert.InRange(converted, o.DeliveredAt.Value, At.AddDays(3));
        });
        Assert.All(all.Where(o => o.DeliveredAt is null), o => Assert.Null(o.ConvertedAt));
    }
}
