using System.Globalization;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Workbench.Core.Data;

// The one shape of a time in the store: UTC as "yyyy-MM-dd HH:mm:ss" with the fraction of a second when there is one
// (".25"), dates as "yyyy-MM-dd". Text, so times sort and compare as strings in SQL. Every writer (EF Core through
// Converter, the importer, the bulk paths, SQL parameters) formats here and every reader parses here.
public static class StoreTime
{
    public const string DateTimeFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFF";
    public const string DateFormat = "yyyy-MM-dd";

    // For EF Core: every DateTime property is stored through this, and read back as UTC.
    public sealed class Converter() : ValueConverter<DateTime, string>(t => Format(t), s => Parse(s));

    public static string Format(DateTime utc)
    {
        if (utc.Ticks % TimeSpan.TicksPerSecond != 0) return utc.ToString(DateTimeFormat, CultureInfo.InvariantCulture);
        // Whole seconds, the usual case, formatted by hand: the general formatter dominates large imports.
        return string.Create(19, utc, static (span, t) => WholeSeconds(span, t));
    }

    // The same text as UTF-8 into the buffer (32 bytes hold any): the length written.
    public static int Format(DateTime utc, Span<byte> utf8)
    {
        if (utc.Ticks % TimeSpan.TicksPerSecond != 0)
            return utc.TryFormat(utf8, out var written, DateTimeFormat, CultureInfo.InvariantCulture) ? written : throw new ArgumentException("buffer too small", nameof(utf8));
        Span<char> chars = stackalloc char[19];
        WholeSeconds(chars, utc);
        for (var i = 0; i < 19; i++) utf8[i] = (byte)chars[i];
        return 19;
    }

    public static string Format(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    // A stored time (also one with a 'T' or an offset, as older rows may hold) as UTC.
    public static DateTime Parse(string text)
    {
        var ticks = ParseTicks(text.AsSpan());
        return new DateTime(ticks, DateTimeKind.Utc);
    }

    public static DateOnly ParseDate(string text) => DateOnly.ParseExact(text.Length > 10 ? text[..10] : text, DateFormat, CultureInfo.InvariantCulture);

    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    // Straight from UTF-8 bytes: the feature rebuild parses twenty million of them.
    public static long ParseTicks(ReadOnlySpan<byte> text)
    {
        Span<char> chars = text.Length <= 64 ? stackalloc char[text.Length] : new char[text.Length];
        for (var i = 0; i < text.Length; i++) chars[i] = (char)text[i];
        return ParseTicks((ReadOnlySpan<char>)chars);
    }

    private static long ParseTicks(ReadOnlySpan<char> text)
    {
        if (text.Length >= 19 && text[4] == '-' && text[7] == '-' && (text[10] == ' ' || text[10] == 'T') && text[13] == ':' && text[16] == ':'
            && TryDigits(text, 0, 4, out var year) && TryDigits(text, 5, 2, out var month) && TryDigits(text, 8, 2, out var day)
            && TryDigits(text, 11, 2, out var hour) && TryDigits(text, 14, 2, out var minute) && TryDigits(text, 17, 2, out var second)
            && year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month) && hour < 24 && minute < 60 && second < 60)
        {
            var ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks;
            if (text.Length == 19) return ticks;
            if (text[19] == '.')
            {
                long fraction = 0;
                var digits = 0;
                var i = 20;
                for (; i < text.Length && digits < 7; i++, digits++)
                {
                    var d = text[i] - '0';
                    if (d is < 0 or > 9) break;
                    fraction = fraction * 10 + d;
                }
                if (i == text.Length)
                {
                    for (; digits < 7; digits++) fraction *= 10;
                    return ticks + fraction;
                }
            }
        }
        return DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal).Ticks;
    }

    private static bool TryDigits(ReadOnlySpan<char> text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var d = text[i] - '0';
            if (d is < 0 or > 9) return false;
            value = value * 10 + d;
        }
        return true;
    }

    private static void WholeSeconds(Span<char> span, DateTime t)
    {
        Four(span, 0, t.Year);
        span[4] = '-';
        Two(span, 5, t.Month);
        span[7] = '-';
        Two(span, 8, t.Day);
        span[10] = ' ';
        Two(span, 11, t.Hour);
        span[13] = ':';
        Two(span, 14, t.Minute);
        span[16] = ':';
        Two(span, 17, t.Second);
    }

    private static void Two(Span<char> span, int at, int value)
    {
        span[at] = (char)('0' + value / 10);
        span[at + 1] = (char)('0' + value % 10);
    }

    private static void Four(Span<char> span, int at, int value)
    {
        Two(span, at, value / 100);
        Two(span, at + 2, value % 100);
    }
}
