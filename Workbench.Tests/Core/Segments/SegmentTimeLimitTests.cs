using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Data;
using Workbench.Core.Segments;
using Workbench.Core.Segments.Rules;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Segments;

// A deliberately slow rule (200 behaviour probes for each of 3,000 customers) under a tiny time limit: refused with
// a message, the caller's token untouched, and the connection released (no reader left holding the store).
public sealed class SegmentTimeLimitTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        await SegmentFixture.WriteAsync(_store.Location.ConnectionString, SegmentFixture.Random(3000, seed: 9));
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private SegmentService Service(TimeSpan limit) =>
        new(_store.Services.GetRequiredService<IDbContextFactory<WorkbenchDbContext>>(), _store.Location, new FixedTime(SegmentFixture.AsOf),
            _store.Services.GetRequiredService<Workbench.Core.Audit.AuditService>(), new StoreWriteGate(), new SegmentLimits(limit));

    // Every condition holds for everyone (no such category was bought), so each customer costs all 200 probes.
    private static RuleGroup SlowRule()
    {
        var conditions = string.Join(",", Enumerable.Range(0, 200).Select(i =>
            $$"""{"field":"bought_category","operator":"not_within","category":"Nothing{{i}}","days":{{30 + i}}}"""));
        var parsed = RuleJson.Parse($$"""{"op":"and","conditions":[{{conditions}}]}""");
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Problems));
        return parsed.Rule!;
    }

    [Fact]
    public async Task CountAsync_PastTheTimeLimit_IsRefusedWithAMessage()
    {
        using var caller = new CancellationTokenSource();
        var service = Service(TimeSpan.FromMilliseconds(1));

        var refused = await Assert.ThrowsAsync<SegmentTimeLimitException>(() => service.CountAsync(SlowRule(), caller.Token));

        Assert.Contains("longer than 0.001 s", refused.Message);
        Assert.Contains("fewer or narrower conditions", refused.Message);
        Assert.False(caller.IsCancellationRequested);
        await Assert.ThrowsAsync<SegmentTimeLimitException>(() => service.KpisAsync(SlowRule(), caller.Token));
        await Assert.ThrowsAsync<SegmentTimeLimitException>(() => service.SampleAsync(SlowRule(), 20, caller.Token));
    }

    [Fact]
    public async Task CountAsync_AfterATimeout_TheConnectionIsFreeAndTheSameRuleCountsWithinAWiderLimit()
    {
        await Assert.ThrowsAsync<SegmentTimeLimitException>(() => Service(TimeSpan.FromMilliseconds(1)).CountAsync(SlowRule()));

        // No statement left open: a TRUNCATE checkpoint needs every reader gone (busy = 0).
        await using (var connection = new SqliteConnection(_store.Location.ConnectionString))
        {
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await using var reader = await checkpoint.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(0L, reader.GetInt64(0));
        }
        Assert.Equal(3000, await Service(TimeSpan.FromMinutes(5)).CountAsync(SlowRule()));
    }
}
