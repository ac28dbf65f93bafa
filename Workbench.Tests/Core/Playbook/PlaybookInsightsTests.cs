using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Import;
using Workbench.Core.Playbook;
using Workbench.Core.Segments;
using Workbench.Core.Segments.Rules;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Playbook;

// Estimated value, feasibility and content gaps over a store of five customers, every figure counted by hand below.
//   C1 North, Ann, Gold:   orders 10 + 20, email granted
//   C2 North, Ben, no tier: order 50,      email denied
//   C3 South, Cy, Silver:  no order,       sms granted
//   C4 South, no name:     order 20,       no consent
//   C5 West, Eve, Gold:    order 1000,     email granted (reached by no play)
// Use case "uc-back" (win back): P1 active, region = North, e-mail with first_name and loyalty_tier; P2 active, the saved
// segment Southerners (C3, C4), allows email and sms but has sms content only; P3 draft, push. "uc-empty" has no play.
public sealed class PlaybookInsightsTests : IAsyncLifetime
{
    private TestStore _store = null!;
    private long _southerners;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        await _store.ImportAsync(ImportKind.Customers, """
            customer_id,first_name,region,loyalty_tier
            C1,Ann,North,Gold
            C2,Ben,North,
            C3,Cy,South,Silver
            C4,,South,
            C5,Eve,West,Gold
            """);
        await _store.ImportAsync(ImportKind.Products, "sku,name,category,price\nA,Apron,X,10\n");
        await _store.ImportAsync(ImportKind.Transactions, """
            order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price
            O1,1,C1,2026-10-01T10:00:00,A,1,10
            O2,1,C1,2026-10-05T10:00:00,A,2,10
            O3,1,C2,2026-10-01T10:00:00,A,5,10
            O4,1,C4,2026-10-01T10:00:00,A,2,10
            O5,1,C5,2026-10-01T10:00:00,A,100,10
            """);
        await _store.ImportAsync(ImportKind.Consents, """
            customer_id,channel,status,updated_at
            C1,email,granted,2026-01-01T00:00:00
            C2,email,denied,2026-01-01T00:00:00
            C3,sms,granted,2026-01-01T00:00:00
            C5,email,granted,2026-01-01T00:00:00
            """);
        var saved = await _store.Services.GetRequiredService<SegmentService>().SaveAsync(
            new SegmentDraft(null, "Southerners", "", """{"op":"and","conditions":[{"field":"region","operator":"eq","value":"South"}]}""", 0), "tester");
        Assert.True(saved.Saved, saved.Problem);
        _southerners = saved.Id!.Value;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private PlaybookFile Playbook()
    {
        var p = PlaybookFixture.Play();
        var email = new ChannelContent("email", [new CreativeVariant("standard", Subject: "Hi {{ first_name | default: \"there\" }}", Html: "<p>{{ loyalty_tier }} member</p>")]);
        var p1 = p with
        {
            Id = "p1", UseCaseId = "uc-back", Channels = ["email"], Content = [email],
            Audience = p.Audience with { Conditions = new RuleGroup { Conditions = [new RuleCondition { Field = "region", Operator = "eq", Value = JsonSerializer.SerializeToElement("North") }] } },
        };
        var p2 = p with
        {
            Id = "p2", UseCaseId = "uc-back", Channels = ["email", "sms"],
            Content = [new ChannelContent("sms", [new CreativeVariant("standard", Text: "Come back soon")])],
            Audience = p.Audience with { SegmentIds = [_southerners] },
        };
        var p3 = p with
        {
            Id = "p3", UseCaseId = "uc-back", Status = PlayStatus.Draft, Channels = ["push"],
            Content = [new ChannelContent("push", [new CreativeVariant("standard", Title: "{{ city }}", Body: "Back?")])],
        };
        return new PlaybookFile(PlaybookFile.CurrentFormat,
        [
            new UseCase("uc-back", "Win back", Objective.WinBack, "lapsing", "reactivation rate", "me", UseCaseStatus.Active),
            new UseCase("uc-empty", "Nothing yet", Objective.Welcome, "first purchase", "second-purchase rate", "me", UseCaseStatus.Proposed),
        ], [p1, p2, p3]);
    }

    [Fact]
    public async Task UseCases_EstimateAndFeasibility_AsCountedByHand()
    {
        var insights = await _store.Services.GetRequiredService<PlaybookInsightsService>().UseCasesAsync(Playbook(), default);
        var back = insights.Single(i => i.UseCase.Id == "uc-back");

        // Audience: P1 reaches C1, C2 (North), P2 the Southerners C3, C4: 4 (C5 is no one's). Orders 2 + 1 + 0 + 1 = 4,
        // revenue 30 + 50 + 0 + 20 = 100: average order value 25. Value = 4 × 2% × 25 = 2.
        Assert.Equal((3, 2), (back.Plays, back.ActivePlays));
        Assert.Equal(new UseCaseInputs(4, 2.0, 25), back.Computed);
        Assert.Equal(2.0, back.Computed.EstimatedValue, 9);

        var f = back.Feasibility;
        // Data: the active plays' content uses first_name (C1, C2, C3: 3 of 4) and loyalty_tier (C1, C3: 2 of 4); the
        // draft's city does not count. Mean (0.75 + 0.5) / 2 = 0.625.
        Assert.Equal(["first_name|3|4", "loyalty_tier|2|4"], f.Fields.Select(x => $"{x.Variable}|{x.Filled}|{x.Audience}"));
        Assert.Equal(0.625, f.Data, 9);
        // Content: segments {none, Southerners} × channels {email, push, sms} = 6 cells; ready: none × email (P1),
        // Southerners × sms (P2). Southerners × email has P2 but no e-mail variant; push only a draft. 2 / 6.
        Assert.Equal(6, f.Cells.Count);
        Assert.Equal([$"|email", $"{_southerners}|sms"], f.Cells.Where(c => c.Ready).Select(c => $"{c.SegmentId}|{c.Channel}"));
        Assert.Equal(1.0 / 3, f.Content, 9);
        // Consent on email or sms (the active plays' channels): C1 email, C3 sms; C2 denied, C4 none: 2 of 4.
        Assert.Equal((2L, 4L), (f.Consented, f.Audience));
        Assert.Equal((0.625 + 1.0 / 3 + 0.5) / 3, f.Score, 9);

        var empty = insights.Single(i => i.UseCase.Id == "uc-empty");
        Assert.Equal((0L, 0.0), (empty.Computed.Audience, empty.Computed.EstimatedValue));
        // No audience: nothing is ready (no field to fill counts as 0, not 1, when there is no one to fill it for).
        Assert.Equal((0.0, 0.0, 0.0, 0.0), (empty.Feasibility.Data, empty.Feasibility.Content, empty.Feasibility.Consent, empty.Feasibility.Score));
    }

    // Every use case is counted in one pass over the customers; each keeps its own audience, fields and channels.
    // "uc-gold" (added here) has one active play for Gold members (C1, C5) on push, whose content uses city.
    [Fact]
    public async Task UseCases_CountedTogether_EachKeepsItsOwnFigures()
    {
        var file = Playbook();
        var p = PlaybookFixture.Play();
        var gold = p with
        {
            Id = "p4", UseCaseId = "uc-gold", Channels = ["push"],
            Content = [new ChannelContent("push", [new CreativeVariant("standard", Title: "{{ city | default: \"Hello\" }}", Body: "Gold")])],
            Audience = p.Audience with { Conditions = new RuleGroup { Conditions = [new RuleCondition { Field = "loyalty_tier", Operator = "eq", Value = JsonSerializer.SerializeToElement("Gold") }] } },
        };
        file = file with
        {
            UseCases = [.. file.UseCases, new UseCase("uc-gold", "Gold treats", Objective.Grow, "any", "spend per member", "me", UseCaseStatus.Active)],
            Plays = [.. file.Plays, gold],
        };
        var insights = await _store.Services.GetRequiredService<PlaybookInsightsService>().UseCasesAsync(file, default);

        // uc-back exactly as counted by hand in the test above.
        var back = insights.Single(i => i.UseCase.Id == "uc-back");
        Assert.Equal(new UseCaseInputs(4, 2.0, 25), back.Computed);
        Assert.Equal(["first_name|3|4", "loyalty_tier|2|4"], back.Feasibility.Fields.Select(x => $"{x.Variable}|{x.Filled}|{x.Audience}"));
        Assert.Equal(2L, back.Feasibility.Consented);

        // uc-gold: C1 (2 orders, 30) and C5 (1 order, 1,000): audience 2, 3 orders, 1,030: average 343.33. No one has a
        // city (0 of 2); no one has granted push, though both granted e-mail (0 of 2).
        var g = insights.Single(i => i.UseCase.Id == "uc-gold");
        Assert.Equal(new UseCaseInputs(2, 2.0, 343.33), g.Computed);
        Assert.Equal(["city|0|2"], g.Feasibility.Fields.Select(x => $"{x.Variable}|{x.Filled}|{x.Audience}"));
        Assert.Equal((0L, 2L), (g.Feasibility.Consented, g.Feasibility.Audience));
        Assert.Equal((0L, 0.0), (insights.Single(i => i.UseCase.Id == "uc-empty").Computed.Audience, insights.Single(i => i.UseCase.Id == "uc-empty").Computed.EstimatedValue));
    }

    [Fact]
    public async Task Rank_ByValueTimesFeasibility_EditedInputsMoveTheRanking()
    {
        var insights = await _store.Services.GetRequiredService<PlaybookInsightsService>().UseCasesAsync(Playbook(), default);
        Assert.Equal(["uc-back", "uc-empty"], UseCaseRanking.Rank(insights).Select(r => r.Insight.UseCase.Id));

        // The empty use case given an audience of 1,000 at 5% and 40 a order: value 2,000; feasibility 0, so still last.
        var edited = new Dictionary<string, UseCaseInputs> { ["uc-empty"] = new(1_000, 5, 40) };
        var ranked = UseCaseRanking.Rank(insights, edited);
        Assert.Equal(2_000, ranked[1].Value, 9);
        Assert.Equal(["uc-back", "uc-empty"], ranked.Select(r => r.Insight.UseCase.Id));
        // Win back at 0% uplift: value 0 = priority 0 on both; then by value (2,000 first).
        edited["uc-back"] = new(4, 0, 25);
        Assert.Equal(["uc-empty", "uc-back"], UseCaseRanking.Rank(insights, edited).Select(r => r.Insight.UseCase.Id));
        var csv = PlaybookInsightsCsv.UseCases(UseCaseRanking.Rank(insights, edited), "T", "S", new DateOnly(2026, 12, 1)).Split('\n');
        Assert.Equal("chart,subject,date,rank,use_case_id,use_case,objective,audience,uplift_percent,average_value,estimated_value,data_readiness,content_readiness,consent,feasibility", csv[0].TrimEnd('\r'));
        Assert.Equal("T,S,2026-12-01,1,uc-empty,Nothing yet,welcome,1000,5,40,2000,0,0,0,0", csv[1].TrimEnd('\r'));
    }

    [Fact]
    public void Gaps_PerSegmentObjectiveAndChannel_WithTheirLinks()
    {
        var segments = new List<(long, string)> { (_southerners, "Southerners"), (99, "Nobody") };
        var any = ContentGaps.Compute(Playbook(), segments, null);
        // The no-segment row first, then the saved segments by name.
        Assert.Equal([null, 99L, _southerners], any.Segments.Select(s => s.Id));
        Assert.Equal(8, any.Objectives.Count);
        // No segment × win back: P1, with its e-mail variant. Southerners × win back: P2, whose e-mail has no variant.
        Assert.Equal((1, 1, GapState.Covered), State(any.Cell(null, Objective.WinBack)));
        Assert.Equal((1, 0, GapState.NoCreativeVariant), State(any.Cell(_southerners, Objective.WinBack)));
        Assert.Equal(GapState.NoActivePlay, any.Cell(99, Objective.WinBack).State);
        Assert.Equal(GapState.NoActivePlay, any.Cell(null, Objective.Welcome).State);
        Assert.Equal(3 * 8 - 2, any.Cells.Count(c => c.State == GapState.NoActivePlay));

        // On sms P2 is covered; on email it is not (and P1 covers the no-segment row); push has only a draft.
        Assert.Equal(GapState.Covered, ContentGaps.Compute(Playbook(), segments, "sms").Cell(_southerners, Objective.WinBack).State);
        var email = ContentGaps.Compute(Playbook(), segments, "email");
        Assert.Equal(GapState.NoCreativeVariant, email.Cell(_southerners, Objective.WinBack).State);
        Assert.Equal(GapState.Covered, email.Cell(null, Objective.WinBack).State);
        Assert.All(ContentGaps.Compute(Playbook(), segments, "push").Cells, c => Assert.Equal(GapState.NoActivePlay, c.State));

        Assert.Equal($"/playbook?segment={_southerners}&objective=win_back&channel=email", ContentGaps.LibraryLink(_southerners, Objective.WinBack, "email"));
        Assert.Equal("/playbook/new?objective=cross_sell", ContentGaps.NewPlayLink(null, Objective.CrossSell, null));
    }

    [Fact]
    public async Task GapsAsync_TheStoredPlaybookAndTheSavedSegments_FromTheStore()
    {
        await _store.Services.GetRequiredService<PlaybookStore>().SeedAsync(
            await _store.Services.GetRequiredService<PlaybookPreviewService>().StarterAsync(default), "tester", default);
        var matrix = await _store.Services.GetRequiredService<PlaybookInsightsService>().GapsAsync("email", default);
        Assert.Equal([ContentGaps.NoSegmentName, "Southerners"], matrix.Segments.Select(s => s.Name));
        // The starter plays name no segment: the saved segment's row is all gaps; the first row has e-mail plays for
        // every objective the starter use cases hold (welcome, grow, cross-sell, upsell, replenish, retain, win back, service).
        Assert.All(matrix.Objectives, o => Assert.Equal(GapState.NoActivePlay, matrix.Cell(_southerners, o).State));
        Assert.All(matrix.Objectives, o => Assert.Equal(GapState.Covered, matrix.Cell(null, o).State));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.Services.GetRequiredService<PlaybookInsightsService>().GapsAsync("fax", default));
    }

    private static (int, int, GapState) State(GapCell c) => (c.ActivePlays, c.WithVariant, c.State);
}
