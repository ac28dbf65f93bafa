using Microsoft.Extensions.Logging.Abstractions;
using Workbench.Core.Segments;
using Workbench.Core.Analytics.CustomerFeatures;
using Workbench.Features.Segments;
using Workbench.Tests.Core.Segments;

namespace Workbench.Tests.Components.Segments;

public sealed class DailySegmentRefreshTests : IAsyncLifetime
{
    private readonly HandMadeStore _data = new();
    private readonly FixedTime _time = new(SegmentFixture.AsOf);
    private SegmentService _segments = null!;
    private long _id;

    public async Task InitializeAsync()
    {
        await _data.InitializeAsync();
        _segments = SegmentServiceTests.Create(_data.Store, _time);
        _id = (await _segments.SaveAsync(new SegmentDraft(null, "Londoners", "", """{"conditions":[{"field":"region","operator":"eq","value":"London"}]}""", 0), "ann")).Id!.Value;
        await _segments.RefreshAllAsync();
    }

    public Task DisposeAsync() => _data.DisposeAsync();

    private async Task<int> HistoryRowsAfterRunningAsync(TimeSpan run)
    {
        using var worker = new DailySegmentRefresh(_segments, new FeatureService(_data.Store.Location, _time, NullLogger<FeatureService>.Instance), _time,
            NullLogger<DailySegmentRefresh>.Instance);
        await worker.StartAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow + run;
        while (DateTime.UtcNow < deadline && (await _segments.HistoryAsync(_id)).Count < 2) await Task.Delay(50);
        await worker.StopAsync(CancellationToken.None);
        return (await _segments.HistoryAsync(_id)).Count;
    }

    [Fact]
    public async Task Start_LatestRefreshADayOld_RefreshesNow()
    {
        _time.Utc = SegmentFixture.AsOf.AddHours(25);
        Assert.Equal(2, await HistoryRowsAfterRunningAsync(TimeSpan.FromSeconds(10)));
        // The features, computed a day earlier, were rebuilt first.
        Assert.Equal([_time.Utc.ToString("yyyy-MM-dd")], await _data.Store.RowsAsync("SELECT DISTINCT substr(computed_at, 1, 10) FROM customer_features"));
    }

    [Fact]
    public async Task Start_LatestRefreshAnHourOld_WaitsForTheDay()
    {
        _time.Utc = SegmentFixture.AsOf.AddHours(1);
        Assert.Equal(1, await HistoryRowsAfterRunningAsync(TimeSpan.FromSeconds(1)));
    }
}
