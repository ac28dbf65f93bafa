using System.Globalization;
using Workbench.Core.Customers;

namespace Workbench.Core.Import;

// Parsing of one CSV field. Pure; every method says why a value fails so the report can name it.
public static class FieldParsers
{
    private const string DateFormat = "yyyy-MM-dd";

    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm",
        "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mmK",
        "yyyy-MM-dd",
    ];

    public static bool TryParseDate(string text, out DateOnly value) =>
        DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    // ISO 8601; an offset converts the instant to UTC, no offset means the time is already UTC.
    public static bool TryParseDateTime(string text, out DateTime utc)
    {
        if (TryParseFixedDateTime(text, out utc)) return true;
        if (DateTimeOffset.TryParseExact(text, DateTimeFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            utc = parsed.UtcDateTime;
            return true;
        }
        utc = default;
        return false;
    }

    // Fast path for the common yyyy-MM-ddTHH:mm:ss shape, which dominates large transaction files.
    private static bool TryParseFixedDateTime(string s, out DateTime value)
    {
        value = default;
        if (s.Length != 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
            return false;
        if (!TwoDigits(s, 0, out var c) || !TwoDigits(s, 2, out var y) || !TwoDigits(s, 5, out var mo) || !TwoDigits(s, 8, out var d)
            || !TwoDigits(s, 11, out var h) || !TwoDigits(s, 14, out var mi) || !TwoDigits(s, 17, out var se))
            return false;
        var year = c * 100 + y;
        if (year < 1 || mo is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(year, mo) || h > 23 || mi > 59 || se > 59)
            return false;
        value = new DateTime(year, mo, d, h, mi, se, DateTimeKind.Utc);
        return true;
    }

    private static bool TwoDigits(string s, int i, out int value)
    {
        var a = s[i] - '0';
        var b = s[i + 1] - '0';
        value = a * 10 + b;
        return (uint)a <= 9 && (uint)b <= 9;
    }

    public static bool TryParseDecimal(string text, out double value) =>
        double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
            CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    public static bool TryParseInteger(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool IsValidEmail(string text) => ContactRules.IsWellFormedEmail(text);

    // Text as it may be shown in a message or on a terminal: control characters (C0, DEL, C1), NUL, bidirectional
    // overrides and U+FFFD escaped as \u{XXXX}; cut at max characters. The same string when there is nothing to escape.
    public static string Printable(string text, int max = 60)
    {
        var needsEscape = false;
        foreach (var c in text)
        {
            if (NeedsEscape(c))
            {
                needsEscape = true;
                break;
            }
        }
        if (!needsEscape && text.Length <= max) return text;
        var sb = new System.Text.StringBuilder(Math.Min(text.Length, max) + 8);
        foreach (var c in text)
        {
            if (sb.Length >= max)
            {
                sb.Append('…');
                break;
            }
            if (NeedsEscape(c)) sb.Append(CultureInfo.InvariantCulture, $"\\u{{{(int)c:X4}}}");
            else sb.Append(c);
        }
        return sb.ToString();
    }

    private static bool NeedsEscape(char c) =>
        c < ' ' || c is >= '\u007F' and <= '\u009F' || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069' || c == '\uFFFD';
}
