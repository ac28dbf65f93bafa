using System.Globalization;

namespace Workbench.Core.Import.SampleData;

internal enum PurchaseChannel : byte { Store, Web, App }

// Two years of days ending at EndDate, with the retail rhythm: month seasonality, weekday pattern per
// channel, peak and closed days, and dayparts. Times are seconds from the window's first midnight UTC;
// shoppers live in UK/Irish local time, so BST is taken off before anything is written.
internal sealed class SampleCalendar
{
    public const int SecondsPerDay = 86_400;

    // January..December: the November/December peak and the summer dip.
    private static readonly double[] MonthFactor = [0.95, 0.8, 0.9, 0.95, 0.95, 0.85, 0.75, 0.8, 0.9, 1.0, 1.25, 1.5];

    // Sunday..Saturday, per PurchaseChannel: weekend peak in store, Sunday-evening and Monday peak online.
    private static readonly double[][] WeekdayFactor =
    [
        [1.2, 0.8, 0.8, 0.85, 0.95, 1.1, 1.5],
        [1.15, 1.1, 1.0, 1.0, 1.0, 0.9, 0.85],
        [1.2, 1.0, 0.95, 0.95, 1.0, 1.0, 1.1],
    ];

    private static readonly double[] StoreHours =
        [0, 0, 0, 0, 0, 0, 0, 0, 0.3, 0.6, 0.9, 1.1, 1.2, 1.2, 1.1, 1.0, 1.0, 1.0, 0.8, 0.6, 0.4, 0.2, 0, 0];

    // Large stores in England and Wales open six hours on Sundays.
    private static readonly double[] StoreSundayHours =
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.9, 1.2, 1.3, 1.3, 1.2, 1.0, 0, 0, 0, 0, 0, 0, 0, 0];

    private static readonly double[] WebHours =
        [0.35, 0.15, 0.08, 0.05, 0.05, 0.1, 0.25, 0.45, 0.6, 0.75, 0.85, 0.9, 1.0, 0.95, 0.85, 0.85, 0.85, 0.9, 1.0, 1.2, 1.35, 1.3, 1.0, 0.6];

    private static readonly double[] AppHours =
        [0.3, 0.1, 0.05, 0.03, 0.03, 0.08, 0.35, 0.8, 0.9, 0.6, 0.6, 0.7, 1.1, 1.0, 0.6, 0.6, 0.7, 0.9, 1.0, 1.1, 1.3, 1.3, 1.0, 0.6];

    private readonly int[] _utcOffset;
    private readonly string[] _dayPrefix;
    private readonly double[][] _dayCdf;
    private readonly double[][] _hourCdf;

    public const int Years = 2;

    public SampleCalendar(DateOnly endDate)
    {
        End = endDate;
        Start = endDate.AddYears(-Years).AddDays(1);
        Days = End.DayNumber - Start.DayNumber + 1;
        LastSecond = Days * SecondsPerDay - 1;

        _utcOffset = new int[Days];
        Month = new int[Days];
        PromoDay = new bool[Days];
        _dayPrefix = new string[Days + 2];
        var weights = new double[3][];
        for (var c = 0; c < 3; c++) weights[c] = new double[Days];

        for (var day = -1; day <= Days; day++)
        {
            _dayPrefix[day + 1] = DateOfDay(day).ToString("yyyy-MM-dd'T'", CultureInfo.InvariantCulture);
        }
        for (var day = 0; day < Days; day++)
        {
            var date = DateOfDay(day);
            _utcOffset[day] = UtcOffsetSeconds(date);
            Month[day] = date.Month - 1;
            PromoDay[day] = IsPromoDay(date);
            for (var c = 0; c < 3; c++)
            {
                var channel = (PurchaseChannel)c;
                weights[c][day] = MonthFactor[date.Month - 1] * WeekdayFactor[c][(int)date.DayOfWeek] * SpecialDayFactor(date, channel);
            }
        }
        _dayCdf = [Cdf.From(weights[0]), Cdf.From(weights[1]), Cdf.From(weights[2])];
        _hourCdf = [Cdf.From(StoreHours), Cdf.From(WebHours), Cdf.From(AppHours), Cdf.From(StoreSundayHours)];
    }

    public DateOnly Start { get; }
    public DateOnly End { get; }
    public int Days { get; }
    public int LastSecond { get; }
    public int[] Month { get; }
    public bool[] PromoDay { get; }

    public DateOnly DateOfDay(int day) => Start.AddDays(day);

    public int DayOf(DateOnly date) => date.DayNumber - Start.DayNumber;

    // The retail calendar as a clock: position 0..1 runs through the days at the pace of the channel's day weights, so
    // evenly spaced positions land more often on a December Saturday than on a July Tuesday.
    public int DayAt(PurchaseChannel channel, double position) => Cdf.Sample(_dayCdf[(int)channel], Math.Clamp(position, 0, 1));

    public int SampleLocalSecond(SampleRandom rng, PurchaseChannel channel, int day) =>
        SampleLocalSecond(rng, channel, DateOfDay(day).DayOfWeek);

    public int SampleLocalSecond(SampleRandom rng, PurchaseChannel channel, DayOfWeek dayOfWeek)
    {
        var cdf = channel == PurchaseChannel.Store && dayOfWeek == DayOfWeek.Sunday ? _hourCdf[3] : _hourCdf[(int)channel];
        return rng.Pick(cdf) * 3600 + rng.Next(3600);
    }

    public int ToUtc(int day, int localSecondOfDay) => day * SecondsPerDay + localSecondOfDay - _utcOffset[day];

    // A day from fromDay to untilDay inclusive, weighted as the channel's days are.
    public int SampleDay(SampleRandom rng, PurchaseChannel channel, int fromDay, int untilDay) =>
        Cdf.Sample(_dayCdf[(int)channel], Math.Clamp(fromDay, 0, Days - 1), Math.Clamp(untilDay, 0, Days - 1), rng.NextDouble());

    public int SampleTime(SampleRandom rng, PurchaseChannel channel, int fromDay, int untilDay)
    {
        var day = SampleDay(rng, channel, fromDay, untilDay);
        return ToUtc(day, SampleLocalSecond(rng, channel, day));
    }

    public int DayOfSecond(int second) => Math.Clamp(second / SecondsPerDay, 0, Days - 1);

    // ISO 8601 without offset, meaning UTC: 2026-03-01T14:05:09.
    public string Timestamp(int second)
    {
        var day = second >= 0 ? second / SecondsPerDay : -1;
        var secondOfDay = second - day * SecondsPerDay;
        return string.Create(19, (Prefix: _dayPrefix[day + 1], Second: secondOfDay), static (span, state) =>
        {
            state.Prefix.AsSpan().CopyTo(span);
            WriteTwoDigits(span[11..], state.Second / 3600);
            span[13] = ':';
            WriteTwoDigits(span[14..], state.Second / 60 % 60);
            span[16] = ':';
            WriteTwoDigits(span[17..], state.Second % 60);
        });
    }

    public static string Timestamp(DateOnly localDate, int localSecondOfDay) =>
        localDate.ToDateTime(TimeOnly.MinValue)
            .AddSeconds(localSecondOfDay - UtcOffsetSeconds(localDate))
            .ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    // British Summer Time and Irish Standard Time share the EU switch dates; the switch day counts whole.
    public static int UtcOffsetSeconds(DateOnly date) =>
        date >= LastSunday(date.Year, 3) && date < LastSunday(date.Year, 10) ? 3600 : 0;

    public static DateOnly BlackFriday(int year)
    {
        var first = new DateOnly(year, 11, 1);
        var firstThursday = first.AddDays(((int)DayOfWeek.Thursday - (int)first.DayOfWeek + 7) % 7);
        return firstThursday.AddDays(22);
    }

    private static DateOnly LastSunday(int year, int month)
    {
        var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        return last.AddDays(-(int)last.DayOfWeek);
    }

    private static double SpecialDayFactor(DateOnly date, PurchaseChannel channel)
    {
        var online = channel != PurchaseChannel.Store;
        var sinceBlackFriday = date.DayNumber - BlackFriday(date.Year).DayNumber;
        return (date.Month, date.Day) switch
        {
            _ when sinceBlackFriday == 0 => online ? 3.2 : 2.2,
            _ when sinceBlackFriday == 3 => online ? 2.6 : 1.1,
            _ when sinceBlackFriday is >= -4 and < 0 or 1 => 1.3,
            (12, >= 15 and <= 23) => 1.35,
            (12, 24) => online ? 0.7 : 1.1,
            (12, 25) => online ? 0.4 : 0.0,
            (12, 26) => online ? 2.0 : 1.7,
            (12, >= 27) => 1.2,
            (1, 1) => online ? 0.8 : 0.3,
            (1, <= 14) => 1.15,
            _ => 1.0,
        };
    }

    private static bool IsPromoDay(DateOnly date)
    {
        var sinceBlackFriday = date.DayNumber - BlackFriday(date.Year).DayNumber;
        return sinceBlackFriday is >= -4 and <= 3
            || (date.Month, date.Day) is (12, >= 26) or (1, <= 7) or (6, >= 26) or (7, <= 10);
    }

    private static void WriteTwoDigits(Span<char> span, int value)
    {
        span[0] = (char)('0' + value / 10);
        span[1] = (char)('0' + value % 10);
    }
}
