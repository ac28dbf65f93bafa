using System.Globalization;
using Workbench.Core.Csv;
using Workbench.Core.Data;
using Workbench.Core.Import;

namespace Workbench.Core.Campaigns;

// One send as the simulator sees it.
public sealed record SimulatedSend(string CustomerId, string Variant, long? SegmentId, string Channel, DateTime SendAt);

// What the simulator drew for one send (null: did not happen).
public sealed record SimulatedOutcome(string CustomerId, DateTime? DeliveredAt, DateTime? OpenedAt, DateTime? ClickedAt, DateTime? ConvertedAt,
    double? Revenue, double? Margin, DateTime? UnsubscribedAt);

// The true effects the simulator planted: each variant's relative lift on the conversion rate, and each segment ×
// variant cell's extra lift (the segment null: customers in none of the campaign's segments). ResponseScale multiplies
// every channel's base conversion rate (1: the rates below).
public sealed record PlantedEffects(int Seed, IReadOnlyDictionary<string, double> VariantLift, IReadOnlyDictionary<(long? Segment, string Variant), double> CellLift,
    double ResponseScale = 1)
{
    public double TrueLift(long? segment, string variant) =>
        VariantLift.GetValueOrDefault(variant) + CellLift.GetValueOrDefault((segment, variant));
}

// A seeded response simulator, pure: the same sends and seed give the same outcomes. Per send, in order:
// delivered with p = 0.97 (e-mail) or 0.99 (other channels), 1–10 minutes after the send; opened (not tracked for SMS)
// given delivery with p = 0.22 e-mail, 0.30 app, 0.08 push, after an exponential delay of mean 3 h; clicked given the
// open with p = 0.12 (SMS: given delivery, p = 0.06), 1–30 minutes later; converted given delivery with
// p = base × max(0, 1 + variant lift + cell lift), base 3% e-mail, 4% SMS, 2.5% app, 2% push, within 3 days of the send,
// revenue log-normal (median 45, σ = 0.6 on the log scale) rounded to cents and margin 32% of it; unsubscribed given
// delivery (e-mail and SMS) with p = 0.2%. Planted effects, drawn from the seed: a variant's lift uniform in
// [−0.10, +0.30], a segment × variant cell's extra lift uniform in [−0.15, +0.15], both rounded to 0.01.
public static class OutcomeSimulator
{
    public static PlantedEffects Plant(IEnumerable<string> variants, IEnumerable<long?> segments, int seed, double responseScale = 1)
    {
        var random = new Random(seed);
        var variantLift = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var v in variants.Distinct().Order(StringComparer.Ordinal)) variantLift[v] = Math.Round(-0.10 + 0.40 * random.NextDouble(), 2);
        var cells = new Dictionary<(long?, string), double>();
        foreach (var s in segments.Distinct().Order())
        foreach (var v in variantLift.Keys)
            cells[(s, v)] = Math.Round(-0.15 + 0.30 * random.NextDouble(), 2);
        return new PlantedEffects(seed, variantLift, cells, responseScale);
    }

    public static IEnumerable<SimulatedOutcome> Simulate(IEnumerable<SimulatedSend> sends, PlantedEffects effects)
    {
        var random = RandomFor(effects);
        foreach (var s in sends) yield return Draw(s, effects, random);
    }

    // The stream of draws for a seed: sends drawn one after another from it, in the order given. Seeded by
    // seed × 7919 + 17 (not HashCode.Combine, which differs from one process to the next), so a seed gives the same
    // outcomes on every run of the app.
    public static Random RandomFor(PlantedEffects effects) => new(unchecked(effects.Seed * 7919 + 17));

    public static SimulatedOutcome Draw(SimulatedSend s, PlantedEffects effects, Random random)
    {
        var email = s.Channel == "email";
        var sms = s.Channel == "sms";
        if (random.NextDouble() >= (email ? 0.97 : 0.99)) return new SimulatedOutcome(s.CustomerId, null, null, null, null, null, null, null);
        var delivered = s.SendAt.AddSeconds(60 + random.Next(540));
        DateTime? opened = null, clicked = null, converted = null, unsubscribed = null;
        double? revenue = null, margin = null;
        var openRate = s.Channel switch { "email" => 0.22, "app" => 0.30, "push" => 0.08, _ => 0.0 };
        if (!sms && random.NextDouble() < openRate)
        {
            opened = delivered.AddSeconds(Math.Round(-Math.Log(1 - random.NextDouble()) * 3 * 3600));
            if (random.NextDouble() < 0.12) clicked = opened.Value.AddSeconds(60 + random.Next(1740));
        }
        else if (sms && random.NextDouble() < 0.06)
        {
            clicked = delivered.AddSeconds(60 + random.Next(1740));
        }
        var baseRate = s.Channel switch { "email" => 0.03, "sms" => 0.04, "app" => 0.025, _ => 0.02 };
        var p = baseRate * effects.ResponseScale * Math.Max(0, 1 + effects.TrueLift(s.SegmentId, s.Variant));
        if (random.NextDouble() < p)
        {
            converted = s.SendAt.AddSeconds(random.Next(3 * 86_400));
            if (converted < delivered) converted = delivered;
            var basket = Math.Exp(Math.Log(45) + 0.6 * Normal(random));
            revenue = Math.Round(basket, 2);
            margin = Math.Round(basket * 0.32, 2);
        }
        if ((email || sms) && random.NextDouble() < 0.002) unsubscribed = (opened ?? delivered).AddSeconds(30 + random.Next(600));
        return new SimulatedOutcome(s.CustomerId, delivered, opened, clicked, converted, revenue, margin, unsubscribed);
    }

    // Box–Muller.
    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

// simulate outcomes --run: a finished run's sends through the simulator, written as an outcomes file and imported by
// the importer (validated and joined like any platform's file, all or nothing).
public sealed class OutcomeSimulation(CampaignRunner runner, ImportService imports, StoreLocation store)
{
    public sealed record Result(ImportResult Import, PlantedEffects Effects, long Sends);

    public async Task<Result?> RunAsync(long runId, int seed, string user, CancellationToken ct, double responseScale = 1)
    {
        if (await runner.GetAsync(runId, ct) is not { Status: CampaignRunStatus.Succeeded } run) return null;
        var variants = run.Campaign.Variants.Select(v => v.Name).ToList();
        var effects = OutcomeSimulator.Plant(variants, run.Campaign.SegmentIds.Select(s => (long?)s).Append(null), seed, responseScale);
        Directory.CreateDirectory(store.FilesDirectory);
        var file = Path.Combine(store.FilesDirectory, $"simulated-outcomes-{runId}-{Guid.NewGuid():N}.csv");
        long sends = 0;
        try
        {
            await using (var stream = File.Create(file))
            await using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false)))
            using (var csv = SafeCsv.CreateWriter(writer))
            {
                csv.WriteRow(ImportSchemas.Outcomes.Fields.Select(f => f.Name));
                var random = OutcomeSimulator.RandomFor(effects);
                await foreach (var s in runner.StreamSendsAsync(runId, ct))
                {
                    var o = OutcomeSimulator.Draw(new SimulatedSend(s.CustomerId, s.Variant ?? s.Arm, s.SegmentId, s.Channel ?? "email", s.SendAt ?? run.AsOf), effects, random);
                    sends++;
                    csv.WriteRow([CampaignRunner.SendId(runId, o.CustomerId), null, null, Iso(o.DeliveredAt), Iso(o.OpenedAt), Iso(o.ClickedAt), Iso(o.ConvertedAt),
                        Money(o.Revenue), Money(o.Margin), Iso(o.UnsubscribedAt)]);
                }
            }
            await using var input = File.OpenRead(file);
            var result = await imports.ImportAsync(input, new ImportRequest(ImportKind.Outcomes, $"simulated-outcomes-run-{runId}.csv", ImportMode.AllOrNothing, user,
                input.Length), null, ct);
            return new Result(result, effects, sends);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string? Iso(DateTime? t) => t?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string? Money(double? m) => m?.ToString("0.00", CultureInfo.InvariantCulture);
}
