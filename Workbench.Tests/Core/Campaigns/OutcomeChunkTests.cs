using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Campaigns;
using Workbench.Core.Import;
using Workbench.Core.Playbook;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Campaigns;

// The outcomes import writes 64 new outcomes per statement when it can (OutcomeWriter.TryInsertChunk) and falls back to
// row by row for a chunk holding an unknown send, a send that was not sent, a send twice or an outcome already stored.
// These files are long enough to cross several chunks, so each case lands inside one: the counts, the reported lines
// and the stored values must be what row-by-row writing gives.
public sealed class OutcomeChunkTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private TestStore _store = null!;
    private long _run;
    private List<CampaignSend> _sent = [];
    private List<CampaignSend> _notSent = [];

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync(new MovableClock(Start));
        var (customers, consents) = CampaignSeeding.Reachable("Q", 400, "Quinn", digits: 3);
        Assert.True((await _store.ImportAsync(ImportKind.Customers, customers)).Succeeded);
        Assert.True((await _store.ImportAsync(ImportKind.Consents, consents)).Succeeded);
        var json = CampaignSeeding.GrowPlayFile();
        Assert.True((await _store.Services.GetRequiredService<PlaybookStore>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), "t.json", "test", default)).Imported);
        var campaigns = _store.Services.GetRequiredService<CampaignStore>();
        var created = (await campaigns.CreateAsync(new Campaign("", "Chunks", "ann", CampaignStatus.Draft, CampaignStage.Pilot, ["hello"], [], [],
            new CampaignSchedule(ScheduleKind.Recurring, Cron: "0 9 * * *"), 10, [new CampaignVariant("a", 1)]), "ann", default)).Saved!;
        var campaign = (await campaigns.UpdateAsync(created with { Status = CampaignStatus.Scheduled }, created.Version, "ann", default)).Saved!;
        var runner = _store.Services.GetRequiredService<CampaignRunner>();
        _run = (await runner.ClaimManualAsync(campaign, "ann", default))!.Value;
        Assert.True(await runner.ExecuteAsync(_run, null, default));
        var rows = (await runner.SendsAsync(_run, null, 1000, sentOnly: false, default)).ToList();
        _sent = rows.Where(r => r.Sent).OrderBy(r => r.CustomerId, StringComparer.Ordinal).ToList();
        _notSent = rows.Where(r => !r.Sent).ToList();
        Assert.True(_sent.Count >= 4 * 64, $"{_sent.Count} sends: the file needs at least four chunks");
        Assert.NotEmpty(_notSent);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private string Id(CampaignSend s) => CampaignRunner.SendId(_run, s.CustomerId);

    private async Task<Dictionary<string, (string? Delivered, string? Clicked, double? Revenue, long Revision)>> StoredAsync()
    {
        await using var connection = new SqliteConnection(_store.Location.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT customer_id, delivered_at, clicked_at, revenue, revision FROM campaign_outcomes WHERE run_id = $run";
        cmd.Parameters.AddWithValue("$run", _run);
        var stored = new Dictionary<string, (string?, string?, double?, long)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
            stored[r.GetString(0)] = (r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetDouble(3), r.GetInt64(4));
        return stored;
    }

    [Fact]
    public async Task LongFile_ChunksWithAnUnknownSend_ANotSentRow_AndASendTwice_AreWrittenRowByRow_WithTheSameResult()
    {
        // Lines 2..: every send delivered with revenue = its index; the file's line 72 (chunk 2) names a send of no run, line
        // 150 (chunk 3) a customer who got no message, and line 220 (chunk 4) repeats send 200 with a click (later rows win).
        var csv = new StringBuilder("send_id,delivered_at,clicked_at,revenue\n");
        var lines = new List<string>();
        for (var i = 0; i < _sent.Count; i++) lines.Add($"{Id(_sent[i])},2026-12-01T10:05:00Z,,{i}");
        lines.Insert(70, $"{_run}-NOBODY,2026-12-01T10:05:00Z,,1");
        lines.Insert(148, $"{Id(_notSent[0])},2026-12-01T10:05:00Z,,1");
        lines.Insert(218, $"{Id(_sent[200])},,2026-12-01T12:00:00Z,");
        foreach (var l in lines) csv.Append(l).Append('\n');

        var result = await _store.ImportAsync(ImportKind.Outcomes, csv.ToString(), ImportMode.SkipInvalid);

        Assert.True(result.Succeeded, result.Summary);
        Assert.Equal((_sent.Count, 1, 0, 2L), (result.Inserted, result.Updated, result.Unchanged, result.Rejected));
        Assert.Equal([(72L, "send_id"), (150L, "send_id")], result.Problems.Where(p => p.Severity == ProblemSeverity.Error).Select(p => (p.Line, p.Column)));
        Assert.Contains("is in no run's send list", result.Problems[0].Reason);
        Assert.Contains("was not sent", result.Problems.Single(p => p.Line == 150).Reason);
        var stored = await StoredAsync();
        Assert.Equal(_sent.Count, stored.Count);
        for (var i = 0; i < _sent.Count; i++)
        {
            var o = stored[_sent[i].CustomerId];
            Assert.Equal(("2026-12-01 10:05:00", (double?)i), (o.Delivered, o.Revenue));
            Assert.Equal(i == 200 ? "2026-12-01 12:00:00" : null, o.Clicked);
            Assert.Equal(i == 200 ? 1 : 0, o.Revision);
        }
        Assert.DoesNotContain(_notSent[0].CustomerId, stored.Keys);

        // The same file again: every chunk meets stored outcomes, so row by row: nothing changes.
        var again = await _store.ImportAsync(ImportKind.Outcomes, csv.ToString(), ImportMode.SkipInvalid);
        Assert.Equal((0, 0, _sent.Count + 1, 2L), (again.Inserted, again.Updated, again.Unchanged, again.Rejected));
    }

    [Fact]
    public async Task LongFile_AllOrNothing_AnUnknownSendInTheLastChunk_LeavesTheChunksBeforeItUnwritten()
    {
        var csv = new StringBuilder("send_id,delivered_at\n");
        for (var i = 0; i < _sent.Count; i++) csv.Append(CultureInfo.InvariantCulture, $"{Id(_sent[i])},2026-12-01T10:05:00Z\n");
        csv.Append(CultureInfo.InvariantCulture, $"{_run}-NOBODY,2026-12-01T10:05:00Z\n");

        var result = await _store.ImportAsync(ImportKind.Outcomes, csv.ToString());

        Assert.Equal(ImportOutcome.Refused, result.Outcome);
        Assert.Equal(_sent.Count + 2, result.Problems.Single(p => p.Severity == ProblemSeverity.Error).Line);
        Assert.Empty(await StoredAsync());
    }
}
