using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Audit;
using Workbench.Core.Campaigns;
using Workbench.Core.Decisioning;
using Workbench.Core.Import;
using Workbench.Core.Playbook;
using Workbench.Core.Reports;
using Workbench.Tests.Core.Playbook;
using Workbench.Tests.TestSupport;
using A = DocumentFormat.OpenXml.Drawing;
using P = DocumentFormat.OpenXml.Presentation;

namespace Workbench.Tests.Core.Reports;

// KPI packs on a real SQLite store: 60 customers with e-mail consent, one always-eligible play, a campaign with a 30%
// control group and two variants run by hand at T = 2026-12-01 10:00 UTC; customers bought in the results window (every
// third customer twice) and in the months before, so the KPI months have a year-before baseline.
public sealed class KpiPackServiceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private readonly MovableClock _clock = new(Start);
    private TestStore _store = null!;
    private Campaign _campaign = null!;

    private KpiPackService Packs => _store.Services.GetRequiredService<KpiPackService>();
    private CampaignRunner Runner => _store.Services.GetRequiredService<CampaignRunner>();

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync(_clock);
        var customers = new StringBuilder("customer_id,first_name,email\n");
        var consents = new StringBuilder("customer_id,channel,status,updated_at,source\n");
        for (var i = 0; i < 60; i++)
        {
            customers.Append(CultureInfo.InvariantCulture, $"K{i:D3},Kim,k{i}@example.com\n");
            consents.Append(CultureInfo.InvariantCulture, $"K{i:D3},email,granted,2026-01-01T00:00:00Z,web\n");
        }
        Assert.True((await _store.ImportAsync(ImportKind.Customers, customers.ToString())).Succeeded);
        Assert.True((await _store.ImportAsync(ImportKind.Consents, consents.ToString())).Succeeded);
        Assert.True((await _store.ImportAsync(ImportKind.Products, "sku,name,category,price,unit_cost\nP1,Pen,Office,10,4\nP2,Mug,Kitchen,25,10\n")).Succeeded);
        var play = PlaybookFixture.Play("hello") with { UseCaseId = "uc-1", Trigger = new ScheduledTrigger("* * * * *", 1), CooldownDays = 0 };
        var json = PlaybookJson.Export(new PlaybookFile(1, [new UseCase("uc-1", "Grow", Objective.Grow, "any", "orders", "t", UseCaseStatus.Active)], [play]));
        Assert.True((await _store.Services.GetRequiredService<PlaybookStore>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), "t.json", "test", default)).Imported);
        var campaigns = _store.Services.GetRequiredService<CampaignStore>();
        var created = (await campaigns.CreateAsync(new Campaign("", "Winter <promo> & co", "ann", CampaignStatus.Draft, CampaignStage.Pilot, ["hello"], [], [],
            new CampaignSchedule(ScheduleKind.Recurring, Cron: "0 9 * * *"), 30,
            [new CampaignVariant("a", 1), new CampaignVariant("b", 1)]), "ann", default)).Saved!;
        _campaign = (await campaigns.UpdateAsync(created with { Status = CampaignStatus.Scheduled }, created.Version, "ann", default)).Saved!;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private async Task<long> RunWithPurchasesAsync()
    {
        var run = (await Runner.ClaimManualAsync(_campaign, "ann", default))!.Value;
        Assert.True(await Runner.ExecuteAsync(run, null, default));
        var lines = new StringBuilder("order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price,discount\n");
        string At(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        for (var i = 0; i < 60; i++)
        {
            var c = $"K{i:D3}";
            if (i % 2 == 0) lines.Append(CultureInfo.InvariantCulture, $"w{i},1,{c},{At(Start.AddDays(i % 7).AddHours(1))},P1,{1 + i % 3},10,0\n");
            if (i % 3 == 0) lines.Append(CultureInfo.InvariantCulture, $"x{i},1,{c},{At(Start.AddDays(2).AddHours(3))},P2,1,25,5\n");
            lines.Append(CultureInfo.InvariantCulture, $"h{i},1,{c},{At(Start.AddMonths(-(1 + i % 14)))},P1,1,10,0\n");
        }
        var imported = await _store.ImportAsync(ImportKind.Transactions, lines.ToString());
        Assert.True(imported.Succeeded, string.Join("\n", imported.Problems));
        return run;
    }

    private async Task<long> BuildAsync(long run)
    {
        var requested = await Packs.RequestAsync(new KpiPackRequest("Board <pack> & friends", new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 7), [run]), "ann", default);
        Assert.Empty(requested.Problems);
        var status = await Packs.WhenDoneAsync(requested.Id!.Value).WaitAsync(TimeSpan.FromMinutes(2));
        var pack = (await Packs.ListAsync(default)).Single(p => p.Id == requested.Id);
        Assert.True(status == KpiPackStatus.Succeeded, $"{status}: {pack.Error}");
        return requested.Id.Value;
    }

    private static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.Equal(PngSignature, png[..8]);
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }

    // Requesting a pack and downloading it are audited: who asked for which period and runs, who took which file.
    [Fact]
    public async Task Pack_RequestAndDownload_AreAudited()
    {
        var run = await RunWithPurchasesAsync();
        var id = await BuildAsync(run);
        Assert.NotNull(await Packs.FileAsync(id, KpiPackFormatKind.Html, "manager", default));

        var audit = _store.Services.GetRequiredService<AuditService>();
        var entries = (await audit.QueryAsync(new AuditFilter(EntityType: AuditEntities.KpiPack), 0, 10, default)).Items;
        var created = entries.Single(e => e.Action == AuditActions.Create);
        Assert.Equal(("ann", id.ToString(CultureInfo.InvariantCulture)), (created.UserName, created.EntityId));
        Assert.Equal(["title: Board <pack> & friends", "period: 2026-11-01 to 2026-12-07", $"runs: {run}"],
            created.Changes.Select(c => $"{c.Field}: {c.To}"));
        var exported = entries.Single(e => e.Action == AuditActions.Export);
        Assert.Equal(("manager", id.ToString(CultureInfo.InvariantCulture), "html"), (exported.UserName, exported.EntityId, exported.Changes.Single().To));
    }

    [Fact]
    public async Task Pack_ReadBackWithOpenXml_HasTitleChartAndTableSlides_ValidPngs_AndTheRunsNumbers()
    {
        var run = await RunWithPurchasesAsync();
        var id = await BuildAsync(run);
        var file = (await Packs.FileAsync(id, KpiPackFormatKind.Pptx, "manager", default))!;
        Assert.Equal($"kpi-pack-{id}-board-pack-friends.pptx", file.FileName);
        var results = (await _store.Services.GetRequiredService<CampaignResultService>().ForRunAsync(run, RunResults.DefaultWindowDays, default))!;

        using var document = PresentationDocument.Open(new MemoryStream(file.Bytes), false);
        var invalid = new DocumentFormat.OpenXml.Validation.OpenXmlValidator().Validate(document).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.True(invalid.Count == 0, string.Join("\n", invalid));
        var presentation = document.PresentationPart!;
        var slides = presentation.Presentation!.SlideIdList!.Elements<P.SlideId>()
            .Select(s => (SlidePart)presentation.GetPartById(s.RelationshipId!.Value!)).ToList();
        var chartSlides = slides.Where(s => s.ImageParts.Any()).ToList();
        var tableSlides = slides.Where(s => s.Slide!.Descendants<A.Table>().Any()).ToList();
        // Charts: lift, heatmap, cumulative incremental, and the two KPIs over time; one results table per run.
        Assert.Equal(3 + KpiPackService.KpiChartMeasures.Count, chartSlides.Count);
        Assert.Single(tableSlides);
        Assert.Equal(1 + chartSlides.Count + tableSlides.Count, slides.Count);
        Assert.Contains("Board <pack> & friends", string.Concat(slides[0].Slide!.Descendants<A.Text>().Select(t => t.Text)));
        foreach (var slide in chartSlides)
        {
            var image = slide.ImageParts.Single();
            Assert.Equal("image/png", image.ContentType);
            using var stream = image.GetStream();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            Assert.Equal((KpiPackCharts.Width, KpiPackCharts.Height), PngSize(copy.ToArray()));
            var blip = slide.Slide!.Descendants<A.Blip>().Single();
            Assert.Equal(slide.GetIdOfPart(image), blip.Embed!.Value);
            Assert.Contains(slide.Slide.Descendants<A.Text>(), t => t.Text.Contains("interval", StringComparison.Ordinal)
                || t.Text.Contains("baseline", StringComparison.Ordinal) || t.Text.Contains("per customer", StringComparison.Ordinal)
                || t.Text.Contains("lift", StringComparison.Ordinal));
        }

        var rows = tableSlides[0].Slide!.Descendants<A.TableRow>()
            .Select(r => r.Elements<A.TableCell>().Select(c => string.Concat(c.Descendants<A.Text>().Select(t => t.Text))).ToList()).ToList();
        Assert.Equal(KpiPackService.TableHeader, rows[0]);
        var everyone = results.Cells.Where(c => c.Segment is null).ToList();
        Assert.Equal(6, everyone.Count); // 3 metrics × 2 variants
        Assert.Equal(everyone.Count, rows.Count - 1);
        foreach (var cell in everyone)
        {
            var row = rows.Single(r => r[0] == cell.Metric && r[1] == cell.Variant);
            Assert.Equal(cell.N.ToString(CultureInfo.InvariantCulture), row[2]);
            Assert.Equal(cell.PValue!.Value.ToString("0.0000", CultureInfo.InvariantCulture), row[7]);
            Assert.Equal(cell.AdjustedPValue!.Value.ToString("0.0000", CultureInfo.InvariantCulture), row[8]);
            var scale = cell.Metric == RunResults.Conversion ? 100 : 1;
            Assert.StartsWith((cell.AbsoluteLift * scale).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture), row[5]);
            Assert.Contains((cell.CiLow!.Value * scale).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture), row[6]);
        }
    }

    [Fact]
    public async Task Html_IsSelfContained_WithEveryChartAsADataUri_TheNumbers_AndEncodedText()
    {
        var run = await RunWithPurchasesAsync();
        var id = await BuildAsync(run);
        var file = (await Packs.FileAsync(id, KpiPackFormatKind.Html, "manager", default))!;
        Assert.StartsWith("text/html", file.ContentType);
        var html = Encoding.UTF8.GetString(file.Bytes);
        var images = System.Text.RegularExpressions.Regex.Matches(html, "src=\"data:image/png;base64,([^\"]+)\"");
        Assert.Equal(3 + KpiPackService.KpiChartMeasures.Count, images.Count);
        foreach (System.Text.RegularExpressions.Match m in images)
            Assert.Equal((KpiPackCharts.Width, KpiPackCharts.Height), PngSize(Convert.FromBase64String(m.Groups[1].Value)));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("Board &lt;pack&gt; &amp; friends", html);
        Assert.Contains("Winter &lt;promo&gt; &amp; co (run", html);
        Assert.DoesNotContain("<promo>", html);
        var results = (await _store.Services.GetRequiredService<CampaignResultService>().ForRunAsync(run, RunResults.DefaultWindowDays, default))!;
        foreach (var cell in results.Cells.Where(c => c.Segment is null))
        {
            Assert.Contains($"<td class=\"num\">{cell.N.ToString(CultureInfo.InvariantCulture)}</td>", html);
            Assert.Contains(cell.AdjustedPValue!.Value.ToString("0.0000", CultureInfo.InvariantCulture), html);
        }
    }

    // By hand: control 4 customers, variant 2. Day 0: control 40.00 (10.00 a customer), variant 30.00 (15.00 a customer):
    // (15 − 10) × 2 = 10. Day 1: control nothing, variant 4.00 (2.00 a customer): 10 + 2 × 2 = 14. Day 2: control 8.00
    // (2.00 a customer), variant nothing: 14 − 2 × 2 = 10. Margin: day 0 control 20 (5 each), variant 6 (3 each):
    // (3 − 5) × 2 = −4, then unchanged.
    [Fact]
    public void Cumulate_IsTheVariantsPerCustomerLessControlsTimesVariantCustomers_SummedByDay()
    {
        var series = IncrementalRevenue.Cumulate(new Dictionary<string, long> { ["control"] = 4, ["a"] = 2 },
            [new("control", 0, 40, 20), new("a", 0, 30, 6), new("a", 1, 4, 0), new("control", 2, 8, 0)], 3, "control").Single();
        Assert.Equal("a", series.Variant);
        Assert.Equal([10.0, 14.0, 10.0], series.Points.Select(p => p.Revenue));
        Assert.Equal([-4.0, -4.0, -4.0], series.Points.Select(p => p.Margin));
    }

    // The store's daily breakdown sums to the run's results: the curve's last point is the revenue lift × variant customers,
    // as the pack draws it and as the run page's chart (CampaignResultService.IncrementalAsync) does.
    [Fact]
    public async Task Daily_FromTheStore_EndsAtTheResultsIncrementalRevenue()
    {
        var run = await RunWithPurchasesAsync();
        var service = _store.Services.GetRequiredService<CampaignResultService>();
        var results = (await service.ForRunAsync(run, RunResults.DefaultWindowDays, default))!;
        var daily = await IncrementalRevenue.DailyAsync(_store.Location, run, results.From, results.To, default);
        Assert.All(daily, d => Assert.InRange(d.Day, 0, RunResults.DefaultWindowDays - 1));
        Assert.Contains(daily, d => d.Day > 0);
        var series = await service.IncrementalAsync(results, default);
        Assert.Equal(IncrementalRevenue.Cumulate(IncrementalRevenue.Customers(results), daily, results.WindowDays, ArmAssignment.ControlArm)
            .SelectMany(s => s.Points.Select(p => (s.Variant, p))), series.SelectMany(s => s.Points.Select(p => (s.Variant, p))));
        Assert.NotEmpty(series);
        foreach (var s in series)
        {
            var revenue = results.Cells.Single(c => c.Segment is null && c.Metric == RunResults.Revenue && c.Variant == s.Variant);
            var margin = results.Cells.Single(c => c.Segment is null && c.Metric == RunResults.Margin && c.Variant == s.Variant);
            Assert.Equal(revenue.AbsoluteLift * revenue.N, s.Points[^1].Revenue, 9);
            Assert.Equal(margin.AbsoluteLift * margin.N, s.Points[^1].Margin, 9);
        }
    }

    [Fact]
    public async Task WeeklyPack_IsMadeOncePerWeek_ASecondTickAndARestartDoNothing()
    {
        var weekly = _store.Services.GetRequiredService<WeeklyKpiPacks>();
        var run = await RunWithPurchasesAsync(); // decided on Tuesday 2026-12-01, ISO week 49
        Assert.Null(await weekly.TickAsync(default)); // the latest occurrence (Monday 2026-11-30) covers week 48: no run, no pack
        Assert.Empty(await Packs.ListAsync(default));
        _clock.Advance(TimeSpan.FromDays(6)); // Monday 2026-12-07 10:00 UTC: after the 06:00 occurrence
        var id = await weekly.TickAsync(default);
        Assert.NotNull(id);
        Assert.Null(await weekly.TickAsync(default));
        // Another instance on the same store (a restart): the week is claimed already.
        var again = new WeeklyKpiPacks(Packs, new WeeklyKpiPackOptions(), _clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<WeeklyKpiPacks>.Instance);
        Assert.Null(await again.TickAsync(default));
        Assert.Equal(KpiPackStatus.Succeeded, await Packs.WhenDoneAsync(id!.Value).WaitAsync(TimeSpan.FromMinutes(2)));
        var pack = Assert.Single(await Packs.ListAsync(default));
        Assert.True(pack.Weekly);
        Assert.Equal("2026-W49", pack.WeekKey);
        Assert.Equal((new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 7)), (pack.From, pack.To));
        Assert.Equal([$"Winter <promo> & co (run {run})"], pack.Experiments);
        Assert.Equal(KpiPackService.WeeklyAuthor, pack.CreatedBy);

        _clock.Advance(TimeSpan.FromDays(7)); // the next Monday covers week 50, in which nothing ran
        Assert.Null(await weekly.TickAsync(default));
        Assert.Single(await Packs.ListAsync(default));
    }

    // A pack still waiting is cancelled in its row; one left queued or building by a process that is gone (the app was
    // stopped mid-build) reads as interrupted after the next start, never as building.
    [Fact]
    public async Task Cancel_OfAWaitingPack_MarksItCancelled_AndRecovery_MarksAnOrphanInterrupted()
    {
        await _store.RowsAsync("""
            INSERT INTO kpi_packs (title, period_from, period_to, run_ids, weekly, status, created_at, created_by, pptx_bytes, html_bytes)
            VALUES ('waiting', '2026-11-01 00:00:00', '2026-12-01 00:00:00', '1', 0, 'Queued', '2026-12-01 09:00:00', 'ann', 0, 0),
                   ('orphan', '2026-11-01 00:00:00', '2026-12-01 00:00:00', '1', 0, 'Running', '2026-12-01 09:00:00', 'ann', 0, 0)
            """);
        var packs = (await Packs.ListAsync(default)).ToDictionary(p => p.Title, p => p.Id);
        Assert.True(await Packs.CancelAsync(packs["waiting"], default));
        Assert.False(await Packs.CancelAsync(packs["waiting"], default)); // nothing left to cancel
        await Packs.RecoverInterruptedAsync(default);
        var after = (await Packs.ListAsync(default)).ToDictionary(p => p.Title, p => p.Status);
        Assert.Equal(KpiPackStatus.Cancelled, after["waiting"]);
        Assert.Equal(KpiPackStatus.Interrupted, after["orphan"]);
        Assert.Null(await Packs.FileAsync(packs["orphan"], KpiPackFormatKind.Pptx, "manager", default));
    }

    [Fact]
    public async Task Request_OutsideTheLimits_IsRefusedWithReasons()
    {
        var tooMany = Enumerable.Range(1, KpiPackService.MaxRuns + 1).Select(i => (long)i).ToList();
        var refused = await Packs.RequestAsync(new KpiPackRequest(new string('x', KpiPackService.MaxTitleLength + 1), new DateOnly(2025, 1, 1),
            new DateOnly(2026, 6, 1), tooMany), "ann", default);
        Assert.Null(refused.Id);
        Assert.Equal(3, refused.Problems.Count);
        var unknown = await Packs.RequestAsync(new KpiPackRequest(null, new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), [999]), "ann", default);
        Assert.Equal(["There is no finished run 999."], unknown.Problems);
        Assert.Empty(await Packs.ListAsync(default));
    }
}
