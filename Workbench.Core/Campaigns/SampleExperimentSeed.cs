using System.Globalization;
using System.Text;
using Workbench.Core.Csv;
using Workbench.Core.Data;
using Workbench.Core.Decisioning;
using Workbench.Core.Import;
using Workbench.Core.Playbook;
using Workbench.Core.Segments;
using Workbench.Core.Segments.Rules;

namespace Workbench.Core.Campaigns;

// The sample data's finished experiment, in the shape of the case in the material: 8 segments × 2 themes × 2 layouts ×
// 2 send times (8 variants) with a 10% control group, run once, as of Monday 9 November 2026 09:00 UTC (inside the
// sample purchases, which end on 22 November), so its 7-day attribution window has closed. Its plays are the starter
// playbook's scheduled promotions; the decision engine picks the best eligible one per customer as in any run.
// Responses come from the seeded response simulator (OutcomeSimulator, seed 20261109) with planted true effects per
// variant and per segment × variant; its base conversion rates are scaled ×3 (ResponseScale) so that the planted
// differences show at the sample's 5,000 customers. Each simulated conversion is also a purchase: one order line at
// the conversion's time for its revenue (sku picked by a stable hash of the customer among the products), imported
// as an ordinary transactions file, so the attribution from order lines sees it while the control group buys only
// as it did. The planted effects are written into the campaign's description, for anyone to check the results against.
// Resumable: each step is skipped when its result is already in the store. Made only in a store nobody has worked in:
// no campaign yet and a playbook holding nothing but the starter library.
public sealed class SampleExperimentSeed(CampaignStore campaigns, CampaignRunner runner, SegmentService segments, PlaybookStore playbook,
    OutcomeSimulation simulation, ImportService imports, StoreLocation store) : ISampleDataSeed
{
    public const string CampaignId = "autumn-factorial";
    public const int Seed = 20261109;
    public const double ResponseScale = 3;
    public static readonly DateTime At = new(2026, 11, 9, 9, 0, 0, DateTimeKind.Utc);
    private const string User = StoreInitializer.SampleDataUser;

    // Eight segments that do not overlap: how often and how much a customer buys (the RFM monetary quintile).
    public static readonly IReadOnlyList<(string Name, string Definition, string Rule)> Segments =
    [
        ("One-time, recent", "1 order, the last within 180 days.", Rule(Cond("orders", "eq", 1), Cond("recency_days", "lte", 180))),
        ("One-time, lapsed", "1 order, more than 180 days ago.", Rule(Cond("orders", "eq", 1), Cond("recency_days", "gt", 180))),
        ("Occasional, low value", "2 to 5 orders, M score 1–2.", Rule(Between("orders", 2, 5), Cond("m_score", "lte", 2))),
        ("Occasional, mid value", "2 to 5 orders, M score 3.", Rule(Between("orders", 2, 5), Cond("m_score", "eq", 3))),
        ("Occasional, high value", "2 to 5 orders, M score 4–5.", Rule(Between("orders", 2, 5), Cond("m_score", "gte", 4))),
        ("Frequent, low value", "6 or more orders, M score 1–2.", Rule(Cond("orders", "gte", 6), Cond("m_score", "lte", 2))),
        ("Frequent, mid value", "6 or more orders, M score 3.", Rule(Cond("orders", "gte", 6), Cond("m_score", "eq", 3))),
        ("Frequent, high value", "6 or more orders, M score 4–5.", Rule(Cond("orders", "gte", 6), Cond("m_score", "gte", 4))),
    ];

    public static readonly IReadOnlyList<CampaignVariant> Variants =
    [
        .. from theme in new[] { "Seasonal", "Value" }
           from layout in new[] { "Hero", "Grid" }
           from time in new[] { "Morning", "Evening" }
           select new CampaignVariant($"{theme}-{layout}-{time}".ToLowerInvariant(), 1, theme, layout, time),
    ];

    public static readonly UseCase UseCase = new("uc-seasonal-edit", "Seasonal edit", Objective.Grow, "the start of a season",
        "orders per customer", "crm-squad", UseCaseStatus.Active);

    // The experiment's play: the week's seasonal edit on Monday mornings, for everyone reachable, in four creatives
    // (theme × layout) per channel; the send time is the campaign variant's.
    public static readonly Play Play = new("autumn-edit", "Autumn edit", UseCase.Id, "crm-squad", PlayStatus.Active, 1,
        new ScheduledTrigger("0 9 * * MON", 12),
        new Audience([], SegmentMatch.Any, null, [], null),
        Offer.NoIncentive, null,
        [
            new ChannelContent(PlayChannels.Email, Creatives(t => new CreativeVariant("", Subject: $"{t} for you, {{{{ first_name | default: \"there\" }}}}",
                Html: $"<p>Hello {{{{ first_name | default: \"there\" }}}}, {t.ToLowerInvariant()}.</p>"))),
            new ChannelContent(PlayChannels.Push, Creatives(t => new CreativeVariant("", Title: t, Body: "Open the app to see it."))),
            new ChannelContent(PlayChannels.Sms, Creatives(t => new CreativeVariant("", Text: $"{t}: see it in store or online."))),
        ],
        [PlayChannels.Email, PlayChannels.Push, PlayChannels.Sms], 60, 2.0, 7, null);

    private static IReadOnlyList<CreativeVariant> Creatives(Func<string, CreativeVariant> make) =>
    [
        .. from theme in new[] { "Seasonal", "Value" }
           from layout in new[] { "Hero", "Grid" }
           select make(theme == "Seasonal" ? "The autumn edit" : "This week's best prices") with
           {
               Name = $"{theme}-{layout}".ToLowerInvariant(), Theme = theme, Layout = layout,
           },
    ];

    public async Task SeedAsync(CancellationToken ct)
    {
        var campaign = await campaigns.GetAsync(CampaignId, ct);
        if (campaign is { Status: CampaignStatus.Finished }) return;
        if (campaign is null && !await UntouchedAsync(ct)) return;
        campaign ??= await CreateAsync(ct);
        if (campaign is null) return;
        var run = (await runner.RunsAsync(CampaignId, 10, ct)).FirstOrDefault(r => r.Status == CampaignRunStatus.Succeeded)?.Id;
        if (run is null)
        {
            if (await runner.ClaimAsync(campaign, At, manual: false, missed: 0, User, ct, asOf: At) is not { } claimed) return;
            if (!await runner.ExecuteAsync(claimed, null, ct)) return;
            run = claimed;
        }
        OutcomeSimulation.Result? simulated = null;
        if (await CountAsync("SELECT COUNT(*) FROM campaign_outcomes WHERE run_id = $id", run.Value, ct) == 0)
        {
            simulated = await simulation.RunAsync(run.Value, Seed, User, ct, ResponseScale);
            if (simulated is not { Import.Succeeded: true }) return;
        }
        if (await CountAsync("SELECT COUNT(*) FROM order_lines WHERE order_id LIKE 'SIM-' || $id || '-%'", run.Value, ct) == 0
            && !await ImportPurchasesAsync(run.Value, ct)) return;
        var effects = simulated?.Effects ?? OutcomeSimulator.Plant(campaign.Variants.Select(v => v.Name), campaign.SegmentIds.Select(s => (long?)s).Append(null), Seed, ResponseScale);
        var current = (await campaigns.GetAsync(CampaignId, ct))!;
        await campaigns.UpdateAsync(current with { Status = CampaignStatus.Finished, Description = Describe(effects, current.SegmentIds) }, current.Version, User, ct);
    }

    // Only into a sample store nobody has worked in yet: no campaign, and a playbook holding nothing but the starter
    // library (and this seed's own play), so a playbook someone filled is left alone.
    private async Task<bool> UntouchedAsync(CancellationToken ct)
    {
        if ((await campaigns.ListAsync(new CampaignFilter(Take: 1), ct)).Total > 0) return false;
        var file = await playbook.ExportAsync(ct);
        return file.UseCases.All(u => u.Owner == StarterLibrary.Owner || u.Id == UseCase.Id)
               && file.Plays.All(p => p.Owner == StarterLibrary.Owner || p.Id == Play.Id);
    }

    private async Task<Campaign?> CreateAsync(CancellationToken ct)
    {
        var existing = (await segments.ListAsync(ct)).ToDictionary(s => s.Name, s => s.Id, StringComparer.Ordinal);
        var ids = new List<long>();
        foreach (var (name, definition, rule) in Segments)
        {
            if (!existing.TryGetValue(name, out var id))
            {
                var saved = await segments.SaveAsync(new SegmentDraft(null, name, definition, rule, 0), User, ct);
                if (saved.Id is not { } created) throw new InvalidOperationException($"the sample segment '{name}' could not be saved: {saved.Problem}");
                id = created;
            }
            ids.Add(id);
        }
        await segments.RefreshAllAsync(ct);
        if (await playbook.GetAsync(Play.Id, ct) is null)
        {
            var file = new PlaybookFile(PlaybookFile.CurrentFormat, [UseCase], [Play]);
            var imported = await playbook.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(PlaybookJson.Export(file))), "sample experiment", User, ct);
            if (!imported.Imported) throw new InvalidOperationException("the sample experiment's play could not be saved: " + string.Join("; ", imported.Problems));
        }
        var draft = new Campaign(CampaignId, "Autumn factorial test", "crm-squad", CampaignStatus.Draft, CampaignStage.Pilot, [Play.Id], ids, [],
            new CampaignSchedule(ScheduleKind.OneOff, At: At), 10, Variants, CappedHandling.Substitute,
            "A seasonal theme in a hero layout sent in the morning converts best, and most for frequent high-value customers.");
        var result = await campaigns.CreateAsync(draft, User, ct);
        if (result.Saved is not { } created2) throw new InvalidOperationException("the sample campaign could not be saved: " + string.Join("; ", result.Problems));
        return (await campaigns.UpdateAsync(created2 with { Status = CampaignStatus.Scheduled }, created2.Version, User, ct)).Saved;
    }

    // One order line per simulated conversion: order SIM-{run}-{customer}, line 1, at the conversion time, quantity 1 at
    // the conversion's revenue, channel web.
    private async Task<bool> ImportPurchasesAsync(long run, CancellationToken ct)
    {
        var skus = new List<string>();
        var lines = new List<(string Customer, DateTime At, double Revenue)>();
        await using (var connection = await StoreSql.OpenAsync(store, ct))
        {
            await using (var cmd = connection.Command("SELECT sku FROM products ORDER BY sku"))
            await using (var r = await cmd.ExecuteReaderAsync(ct))
                while (await r.ReadAsync(ct)) skus.Add(r.GetString(0));
            await using (var cmd = connection.Command(
                "SELECT customer_id, converted_at, revenue FROM campaign_outcomes WHERE run_id = $id AND converted_at IS NOT NULL AND revenue > 0 ORDER BY customer_id",
                ("$id", run)))
            await using (var r = await cmd.ExecuteReaderAsync(ct))
                while (await r.ReadAsync(ct)) lines.Add((r.GetString(0), StoreTime.Parse(r.GetString(1)), r.GetDouble(2)));
        }
        if (skus.Count == 0 || lines.Count == 0) return lines.Count == 0;
        using var buffer = new MemoryStream();
        await using (var writer = new StreamWriter(buffer, new UTF8Encoding(false), leaveOpen: true))
        using (var csv = SafeCsv.CreateWriter(writer))
        {
            csv.WriteRow(["order_id", "line_no", "customer_id", "ordered_at", "sku", "quantity", "unit_price", "discount", "channel", "store_id"]);
            foreach (var (customer, at, revenue) in lines)
                csv.WriteRow([$"SIM-{run}-{customer}", "1", customer, at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    skus[(int)(StableHash(customer) % (uint)skus.Count)], "1", revenue.ToString("0.00", CultureInfo.InvariantCulture), "0", "web", null]);
        }
        buffer.Position = 0;
        var result = await imports.ImportAsync(buffer, new ImportRequest(ImportKind.Transactions, $"simulated-campaign-purchases-run-{run}.csv",
            ImportMode.AllOrNothing, User, buffer.Length), null, ct);
        return result.Succeeded;
    }

    public static string Describe(PlantedEffects effects, IReadOnlyList<long> segmentIds)
    {
        var text = new StringBuilder("A seasonal theme in a hero layout sent in the morning converts best, and most for frequent high-value customers. ");
        text.Append(CultureInfo.InvariantCulture, $"Sample data: responses from the seeded response simulator (seed {effects.Seed}, base conversion ×{effects.ResponseScale:0.#}); planted relative lifts on the simulated conversion rate: ");
        text.Append(string.Join(", ", effects.VariantLift.Select(kv => $"{kv.Key} {kv.Value:+0%;-0%;0%}")));
        text.Append(CultureInfo.InvariantCulture, $"; each segment × variant cell adds its own lift in [−15%, +15%] (`simulate outcomes --run <id> --seed {effects.Seed}` prints them).");
        return text.Length > CampaignValidator.MaxDescriptionLength ? text.ToString(0, CampaignValidator.MaxDescriptionLength) : text.ToString();
    }

    private async Task<long> CountAsync(string sql, long run, CancellationToken ct)
    {
        await using var connection = await StoreSql.OpenAsync(store, ct);
        await using var cmd = connection.Command(sql, ("$id", run));
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private static uint StableHash(string s)
    {
        var h = 2166136261u;
        foreach (var c in s) h = (h ^ c) * 16777619u;
        return h;
    }

    private static string Rule(params string[] conditions) => $$"""{"op":"and","conditions":[{{string.Join(",", conditions)}}]}""";

    private static string Cond(string field, string op, double value) =>
        $$"""{"field":"{{field}}","operator":"{{op}}","value":{{value.ToString(CultureInfo.InvariantCulture)}}}""";

    private static string Between(string field, double lo, double hi) =>
        $$"""{"field":"{{field}}","operator":"between","values":[{{lo.ToString(CultureInfo.InvariantCulture)}},{{hi.ToString(CultureInfo.InvariantCulture)}}]}""";
}
