using System.Globalization;
using Workbench.Core.Data;
using Workbench.Core.Analytics.CustomerFeatures;

namespace Workbench.Core.Analytics.Clv;

// Days is 7 but for a last week cut short by the end of the data.
public sealed record ClvWeek(int Week, DateOnly Start, int Days, int ActualRepeats, double PredictedRepeats, int ActualCumulative, double PredictedCumulative);

public sealed record ClvModelReport(
    DateOnly CalibrationEnd,
    DateOnly HoldoutEnd,
    int Customers,
    int Repeaters,
    BgNbdFit Purchases,
    GammaGammaFit? Spend,
    int HoldoutActual,
    double HoldoutPredicted,
    IReadOnlyList<ClvWeek> Weeks);

public sealed record ClvDateRange(DateOnly First, DateOnly Last);

// Fits the CLV models on a calibration period and tracks them against what happened next (the holdout): the weekly
// and cumulative repeat purchases of the customers acquired by the calibration end, actual against predicted.
public sealed class ClvService(StoreLocation store)
{
    public async Task<ClvDateRange?> PurchaseRangeAsync(CancellationToken ct)
    {
        await using var connection = await StoreSql.OpenAsync(store, ct);
        await using var command = connection.Command("SELECT min(first_purchase_at), max(last_purchase_at) FROM customer_stats");
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct) || reader.IsDBNull(0)) return null;
        return new ClvDateRange(DateOnly.FromDateTime(reader.Time(0)!.Value), DateOnly.FromDateTime(reader.Time(1)!.Value));
    }

    public async Task<ClvModelReport?> FitAsync(DateOnly calibrationEnd, DateOnly? holdoutEnd, CancellationToken ct)
    {
        var until = holdoutEnd ?? calibrationEnd;
        if (until < calibrationEnd) throw new ArgumentException("the holdout must end after the calibration end", nameof(holdoutEnd));
        var days = await ReadPurchaseDaysAsync(until, ct);
        var cohort = days.Where(c => c.Days[0].Day <= calibrationEnd).ToList();
        if (cohort.Count == 0) return null;

        var histories = new List<RepeatHistory>(cohort.Count);
        var spend = new List<SpendHistory>();
        foreach (var customer in cohort)
        {
            var calibration = customer.Days.Where(d => d.Day <= calibrationEnd).ToList();
            var first = calibration[0].Day;
            var x = calibration.Count - 1;
            histories.Add(new RepeatHistory(x, (calibration[^1].Day.DayNumber - first.DayNumber) / FeatureCalculator.DaysPerWeek,
                (calibrationEnd.DayNumber - first.DayNumber + 1) / FeatureCalculator.DaysPerWeek));
            if (x >= 1) spend.Add(new SpendHistory(x, calibration.Skip(1).Average(d => d.Value)));
        }
        var grouped = histories.GroupBy(h => (h.X, h.Tx, h.T)).Select(g => new RepeatHistory(g.Key.X, g.Key.Tx, g.Key.T, g.Count())).ToList();
        if (grouped.All(h => h.X == 0)) return null;
        // The fits and the tracking are CPU work of seconds at scale: off the caller's thread, so a page stays responsive.
        var purchases = await Task.Run(() => BgNbd.Fit(grouped, ct), ct);
        var spendFit = spend.Count(s => s.MeanValue > 0) >= 10 ? await Task.Run(() => GammaGamma.Fit(spend, ct), ct) : null;

        var weeks = await Task.Run(() => Track(cohort, purchases.Parameters, until), ct);
        var calibrationWeeks = weeks.Where(w => w.Start.AddDays(6) <= calibrationEnd).ToList();
        var holdoutActual = cohort.Sum(c => c.Days.Skip(1).Count(d => d.Day > calibrationEnd && d.Day <= until));
        var holdoutPredicted = PredictedCumulative(cohort, purchases.Parameters, until) - PredictedCumulative(cohort, purchases.Parameters, calibrationEnd);
        return new ClvModelReport(calibrationEnd, until, cohort.Count, histories.Count(h => h.X > 0), purchases, spendFit,
            holdoutActual, holdoutPredicted, weeks);
    }

    // Week k runs from the first acquisition day + 7k for seven days; predictions sum E[X(t)] over the customers
    // acquired by then, t running from the start of their first purchase day to the end of the week.
    internal static List<ClvWeek> Track(IReadOnlyList<CustomerDays> cohort, BgNbdParameters p, DateOnly until)
    {
        var start = cohort.Min(c => c.Days[0].Day);
        var weekCount = (until.DayNumber - start.DayNumber) / 7 + 1;
        var actual = new int[weekCount];
        foreach (var customer in cohort)
        {
            foreach (var day in customer.Days.Skip(1))
            {
                var week = (day.Day.DayNumber - start.DayNumber) / 7;
                if (week < weekCount) actual[week]++;
            }
        }
        var weeks = new List<ClvWeek>(weekCount);
        int actualCumulative = 0;
        double previous = 0;
        for (var k = 0; k < weekCount; k++)
        {
            var weekEnd = start.AddDays(7 * k + 6);
            var end = weekEnd < until ? weekEnd : until;
            var predicted = PredictedCumulative(cohort, p, end);
            actualCumulative += actual[k];
            weeks.Add(new ClvWeek(k + 1, start.AddDays(7 * k), end.DayNumber - start.AddDays(7 * k).DayNumber + 1, actual[k], predicted - previous,
                actualCumulative, predicted));
            previous = predicted;
        }
        return weeks;
    }

    private static double PredictedCumulative(IReadOnlyList<CustomerDays> cohort, BgNbdParameters p, DateOnly end)
    {
        var total = 0.0;
        foreach (var group in cohort.GroupBy(c => c.Days[0].Day))
        {
            if (group.Key > end) continue;
            var t = (end.DayNumber - group.Key.DayNumber + 1) / FeatureCalculator.DaysPerWeek;
            total += group.Count() * BgNbd.ExpectedPurchases(p, t);
        }
        return total;
    }

    internal sealed record PurchaseDay(DateOnly Day, double Value);

    internal sealed record CustomerDays(string CustomerId, List<PurchaseDay> Days);

    // Purchase days (several orders on one day count once) with their gross value, per customer, up to a date.
    private async Task<List<CustomerDays>> ReadPurchaseDaysAsync(DateOnly until, CancellationToken ct)
    {
        const string sql = """
            SELECT customer_id, substr(ordered_at, 1, 10) AS day, TOTAL(quantity * unit_price - discount)
            FROM order_lines WHERE quantity > 0 AND ordered_at < $until
            GROUP BY customer_id, day ORDER BY customer_id, day
            """;
        await using var connection = await StoreSql.OpenAsync(store, ct);
        await using var command = connection.Command(sql, ("$until", StoreTime.Format(until.AddDays(1))));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var customers = new List<CustomerDays>();
        CustomerDays? current = null;
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetString(0);
            if (current is null || !string.Equals(current.CustomerId, id, StringComparison.Ordinal))
            {
                current = new CustomerDays(id, []);
                customers.Add(current);
            }
            current.Days.Add(new PurchaseDay(StoreTime.ParseDate(reader.GetString(1)), reader.GetDouble(2)));
        }
        return customers;
    }
}
