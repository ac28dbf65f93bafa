using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Data;
using Workbench.Core.Segments;
using Workbench.Core.Segments.Rules;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Segments;

public sealed class FixedTime(DateTime utc) : TimeProvider
{
    public DateTime Utc { get; set; } = utc;

    public override DateTimeOffset GetUtcNow() => new(Utc, TimeSpan.Zero);
}

public sealed class SegmentServiceTests : IAsyncLifetime
{
    private const string London = """{"conditions":[{"field":"region","operator":"eq","value":"London"}]}""";
    private const string Wales = """{"conditions":[{"field":"region","operator":"eq","value":"Wales"}]}""";
    private readonly HandMadeStore _data = new();
    private SegmentService _service = null!;
    private readonly FixedTime _time = new(SegmentFixture.AsOf);

    public async Task InitializeAsync()
    {
        await _data.InitializeAsync();
        _service = Create(_data.Store, _time);
    }

    public static SegmentService Create(TestStore store, TimeProvider time) =>
        new(store.Services.GetRequiredService<IDbContextFactory<WorkbenchDbContext>>(), store.Location, time,
            store.Services.GetRequiredService<Workbench.Core.Audit.AuditService>(), store.Services.GetRequiredService<StoreWriteGate>());

    public Task DisposeAsync() => _data.DisposeAsync();

    private static RuleGroup Rule(string json) => RuleJson.Parse(json).Rule!;

    [Fact]
    public async Task CountSampleKpis_LondonRule_AreTheMembersFiguresAndReach()
    {
        Assert.Equal(2, await _service.CountAsync(Rule(London)));
        var sample = await _service.SampleAsync(Rule(London), 20);
        Assert.Equal(["C1", "C4"], sample.Select(s => s.CustomerId));
        Assert.Equal(900, sample[0].NetRevenue);

        var kpis = await _service.KpisAsync(Rule(London));
        Assert.Equal(2, kpis.Size);
        Assert.Equal(4, kpis.TotalCustomers);
        Assert.Equal(0.5, kpis.Share);
        Assert.Equal(1200, kpis.Revenue);
        Assert.Equal(1200 / 1250.0, kpis.RevenueShare, 9);
        Assert.Equal(600, kpis.AverageValue);
        Assert.Equal(1, kpis.Reach.Single(r => r.Channel == "email").Members);
        Assert.Equal(0.5, kpis.Reach.Single(r => r.Channel == "email").Share);
        Assert.Equal(0, kpis.Reach.Single(r => r.Channel == "sms").Members);
        Assert.True(kpis.FeaturesComputed);
    }

    [Fact]
    public async Task Kpis_NoFeatureRows_SayFeaturesAreNotComputed_AndStillCountEveryCustomer()
    {
        await _data.Store.RowsAsync("DELETE FROM customer_features");
        var kpis = await _service.KpisAsync(Rule("""{"op":"and"}"""));
        Assert.False(kpis.FeaturesComputed);
        Assert.Equal(4, kpis.Size);
        Assert.Equal(0, kpis.RevenueShare);
    }

    [Fact]
    public async Task Save_CreateEditStale_KeepsVersionsAndRefusesTheStaleSave()
    {
        var created = await _service.SaveAsync(new SegmentDraft(null, "Londoners", "In London", London, 0), "ann");
        Assert.True(created.Saved, created.Problem);
        Assert.Equal(1, created.Version);

        var twoConditions = """{"conditions":[{"field":"region","operator":"eq","value":"London"},{"field":"orders","operator":"gte","value":5}]}""";
        var edited = await _service.SaveAsync(new SegmentDraft(created.Id, "London regulars", "In London", twoConditions, 1), "bob");
        Assert.True(edited.Saved, edited.Problem);
        Assert.Equal(2, edited.Version);

        var stale = await _service.SaveAsync(new SegmentDraft(created.Id, "Londoners", "mine", London, 1), "ann");
        Assert.False(stale.Saved);
        Assert.StartsWith("Not saved: bob saved version 2", stale.Problem);

        var versions = await _service.VersionsAsync(created.Id!.Value);
        Assert.Equal([2, 1], versions.Select(v => v.Version));
        Assert.Equal("renamed 'Londoners' → 'London regulars'; rule edited (1 → 2 conditions)", versions[0].Change);
        Assert.Equal("bob", versions[0].SavedBy);
        Assert.Equal("created with 1 condition(s)", versions[1].Change);

        var listed = Assert.Single(await _service.ListAsync());
        Assert.Equal(("London regulars", "ann", "bob", 2), (listed.Name, listed.Owner, listed.UpdatedBy, listed.Version));
    }

    [Fact]
    public async Task Save_InvalidRuleDuplicateNameOrNoName_IsRefusedWithTheReason()
    {
        var bad = await _service.SaveAsync(new SegmentDraft(null, "X", "", """{"conditions":[{"field":"recency_days","operator":"lte","value":"x"}]}""", 0), "ann");
        Assert.Equal("The rule has problems: condition 1 of group 1: 'recency_days' needs a number", bad.Problem);
        Assert.Equal("Give the segment a name.", (await _service.SaveAsync(new SegmentDraft(null, " ", "", London, 0), "ann")).Problem);
        await _service.SaveAsync(new SegmentDraft(null, "Londoners", "", London, 0), "ann");
        Assert.Equal("A segment named 'Londoners' already exists.", (await _service.SaveAsync(new SegmentDraft(null, "Londoners", "", Wales, 0), "bob")).Problem);
        Assert.Single(await _service.ListAsync());
    }

    [Fact]
    public async Task RefreshAll_RecordsMembersSizeEntriesAndExits()
    {
        var id = (await _service.SaveAsync(new SegmentDraft(null, "Londoners", "", London, 0), "ann")).Id!.Value;
        Assert.Equal(["C1", "C4"], await _data.Store.RowsAsync($"SELECT customer_id FROM segment_members WHERE segment_id = {id} ORDER BY 1"));

        await _data.Store.RowsAsync("UPDATE customers SET region = 'Wales' WHERE customer_id = 'C4'");
        await _data.Store.RowsAsync("UPDATE customers SET region = 'London' WHERE customer_id = 'C3'");
        _time.Utc = _time.Utc.AddDays(1);
        var result = await _service.RefreshAllAsync();

        Assert.Equal(1, result.Segments);
        Assert.Equal(["C1", "C3"], await _data.Store.RowsAsync($"SELECT customer_id FROM segment_members WHERE segment_id = {id} ORDER BY 1"));
        var history = await _service.HistoryAsync(id);
        Assert.Equal([(2L, 2L, 0L), (2L, 1L, 1L)], history.Select(h => (h.Size, h.Entries, h.Exits)));
        Assert.Equal(SegmentFixture.AsOf.AddDays(1), history[1].At);
        var segment = (await _service.GetAsync(id))!;
        Assert.Equal(2, segment.LastSize);
        Assert.Equal(SegmentFixture.AsOf.AddDays(1), segment.LastRefreshAt);
    }

    [Fact]
    public async Task Save_SegmentSizePresentRightAfterSave_AndFollowsAnEditedRule()
    {
        var created = await _service.SaveAsync(new SegmentDraft(null, "Londoners", "", London, 0), "ann");

        var listed = Assert.Single(await _service.ListAsync());
        Assert.Equal(2, listed.LastSize);
        Assert.Equal(SegmentFixture.AsOf, listed.LastRefreshAt);
        Assert.Equal(2, (await _service.MembersAsync(created.Id!.Value, 0, 10))!.Total);

        await _service.SaveAsync(new SegmentDraft(created.Id, "Londoners", "", Wales, created.Version), "ann");
        var expected = await _service.CountAsync(Rule(Wales));
        Assert.Equal(expected, Assert.Single(await _service.ListAsync()).LastSize);
        Assert.Equal(expected, (await _service.MembersAsync(created.Id!.Value, 0, 10))!.Total);

        var renamed = await _service.SaveAsync(new SegmentDraft(created.Id, "Welsh", "", Wales, created.Version + 1), "ann");
        Assert.True(renamed.Saved, renamed.Problem);
        Assert.Equal(2, (await _service.HistoryAsync(created.Id!.Value)).Count);
    }

    [Fact]
    public async Task Overlap_TwoSegments_CountsBothAndEach()
    {
        var london = (await _service.SaveAsync(new SegmentDraft(null, "L", "", London, 0), "ann")).Id!.Value;
        var gold = (await _service.SaveAsync(new SegmentDraft(null, "Has orders", "", """{"conditions":[{"field":"orders","operator":"gte","value":3}]}""", 0), "ann")).Id!.Value;
        var wales = (await _service.SaveAsync(new SegmentDraft(null, "W", "", Wales, 0), "ann")).Id!.Value;

        var m = await _service.OverlapAsync([london, gold, wales]);

        Assert.Equal(new long[,] { { 2, 2, 0 }, { 2, 2, 0 }, { 0, 0, 1 } }, m);
    }

    [Fact]
    public async Task Members_Paged_ReturnsTheTotalAndThePage()
    {
        var id = (await _service.SaveAsync(new SegmentDraft(null, "Everyone", "", """{"op":"and"}""", 0), "ann")).Id!.Value;
        var page = (await _service.MembersAsync(id, 2, 3))!;
        Assert.Equal(4, page.Total);
        Assert.Equal(["C4"], page.Items.Select(i => i.CustomerId));
        Assert.Null(await _service.MembersAsync(999, 1, 10));
    }

    [Fact]
    public async Task Export_NeutralisesFormulas_AndWritesEveryMember()
    {
        await _data.Store.RowsAsync("UPDATE customers SET first_name = '=HYPERLINK(\"http://x\")', last_name = '-1+2', city = 'Leeds, West' WHERE customer_id = 'C1'");
        var id = (await _service.SaveAsync(new SegmentDraft(null, "Londoners", "", London, 0), "ann")).Id!.Value;
        using var output = new MemoryStream();

        Assert.True(await _service.ExportAsync(id, output));

        var lines = System.Text.Encoding.UTF8.GetString(output.ToArray()).TrimEnd().Split("\r\n");
        Assert.Equal(string.Join(",", SegmentService.ExportColumns), lines[0]);
        Assert.StartsWith("C1,\"'=HYPERLINK(\"\"http://x\"\")\",'-1+2,,London,\"Leeds, West\",Gold,,8,900,", lines[1]);
        Assert.StartsWith("C4,", lines[2]);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public async Task Delete_RemovesTheSegmentItsVersionsAndMembers()
    {
        var id = (await _service.SaveAsync(new SegmentDraft(null, "Londoners", "", London, 0), "ann")).Id!.Value;
        await _service.RefreshAllAsync();
        Assert.True(await _service.DeleteAsync(id, "ana"));
        Assert.Empty(await _service.ListAsync());
        Assert.Equal(0, await _data.Store.CountAsync("segment_members"));
        Assert.Equal(0, await _data.Store.CountAsync("segment_versions"));
        Assert.False(await _service.DeleteAsync(id, "ana"));
    }

    [Fact]
    public async Task SaveAndDelete_AreAuditedWithTheChangedFields()
    {
        var id = (await _service.SaveAsync(new SegmentDraft(null, "Londoners", "In London", London, 0), "ann")).Id!.Value;
        await _service.SaveAsync(new SegmentDraft(id, "London regulars", "In London", London, 1), "bob");
        await _service.DeleteAsync(id, "cy");

        var audit = _data.Store.Services.GetRequiredService<Workbench.Core.Audit.AuditService>();
        var entries = (await audit.QueryAsync(new Workbench.Core.Audit.AuditFilter(EntityType: "segment"), 0, 10)).Items.OrderBy(e => e.Id).ToList();
        Assert.Equal(["ann create", "bob update", "cy delete"], entries.Select(e => $"{e.UserName} {e.Action}"));
        Assert.All(entries, e => Assert.Equal(id.ToString(), e.EntityId));
        Assert.Contains(entries[1].Changes, c => c is { Field: "name", From: "Londoners", To: "London regulars" });
        Assert.DoesNotContain(entries[1].Changes, c => c.Field == "description");
        Assert.Contains(entries[2].Changes, c => c is { Field: "name", From: "London regulars", To: null });
    }
}
