using System.Globalization;
using Cronos;
using Microsoft.Extensions.Logging;

namespace Workbench.Core.Reports;

// When the weekly pack is made: a cron expression read in a time zone (default Mondays at 06:00 UTC).
public sealed record WeeklyKpiPackOptions(string Cron = "0 6 * * 1", string TimeZone = "UTC")
{
    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
    public CronExpression Expression => CronExpression.Parse(Cron);
}

// The weekly pack: at each occurrence, one pack covering the previous ISO week (Monday to Monday in the schedule's zone's
// calendar, read as UTC days) and the runs decided in it; a week without a run gets none. The week is claimed by its unique key in kpi_packs, so a second
// tick, a restart or a second instance makes nothing; an occurrence missed while the app was down (within the last 8
// days) is caught up at start.
public sealed class WeeklyKpiPacks(KpiPackService packs, WeeklyKpiPackOptions options, TimeProvider clock, ILogger<WeeklyKpiPacks> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        await packs.RecoverInterruptedAsync(ct);
        await TickAsync(ct);
        while (!ct.IsCancellationRequested)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            if (options.Expression.GetNextOccurrence(DateTime.SpecifyKind(now, DateTimeKind.Utc), options.Zone) is not { } next) return;
            await Task.Delay(next - now, clock, ct);
            await TickAsync(ct);
        }
    }

    // The pack of the latest occurrence at or before now, if its week has none yet; null otherwise.
    public async Task<long?> TickAsync(CancellationToken ct)
    {
        var now = DateTime.SpecifyKind(clock.GetUtcNow().UtcDateTime, DateTimeKind.Utc);
        var latest = options.Expression.GetOccurrences(now.AddDays(-8), now, options.Zone, fromInclusive: true, toInclusive: true).LastOrDefault();
        if (latest == default) return null;
        var (key, from, to) = PreviousWeek(DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(latest, options.Zone)));
        try
        {
            var id = await packs.ClaimWeeklyAsync(key, from, to, ct);
            if (id is not null) logger.LogInformation("Weekly KPI pack {Week} queued as pack {Id}", key, id);
            return id;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "The weekly KPI pack {Week} could not be queued", key);
            return null;
        }
    }

    // The ISO week before the one that holds day: its key ("2026-W48"), its Monday and the next Monday (excluded).
    public static (string Key, DateOnly From, DateOnly To) PreviousWeek(DateOnly day)
    {
        var monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7)).AddDays(-7);
        var at = monday.ToDateTime(TimeOnly.MinValue);
        return (string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(at)}-W{ISOWeek.GetWeekOfYear(at):D2}"), monday, monday.AddDays(7));
    }
}
