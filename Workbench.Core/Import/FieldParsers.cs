using System.Globalization;
using System.Net.Mail;

namespace Workbench.Core.Import;

// Parsing of one CSV field. Pure; every method says why a value fails so the report can name it.
public static class FieldParsers
{
    // The store keeps DateTime as EF Core's SQLite text format, so plain SQL and LINQ agree.
    public const string StoreDateTimeFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFF";
    public const string StoreDateFormat = "yyyy-MM-dd";

    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm",
        "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mmK",
        "yyyy-MM-dd",
    ];

    public static bool TryParseDate(string text, out DateOnly value) =>
        DateOnly.TryParseExact(text, StoreDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

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

    public static bool IsValidEmail(string text)
    {
        if (text.Length > 254 || text.Contains(' ') || text.Contains("..", StringComparison.Ordinal)) return false;
        var at = text.IndexOf('@');
        if (at <= 0 || at != text.LastIndexOf('@')) return false;
        var domain = text.AsSpan(at + 1);
        var dot = domain.LastIndexOf('.');
        if (dot <= 0 || dot >= domain.Length - 2 || domain[0] == '.' || domain[^1] == '.') return false;
        return MailAddress.TryCreate(text, out var address) && address.Address == text && address.DisplayName.Length == 0;
    }

    public static string FormatDateTime(DateTime utc)
    {
        if (utc.Ticks % TimeSpan.TicksPerSecond != 0) return utc.ToString(StoreDateTimeFormat, CultureInfo.InvariantCulture);
        // Whole seconds, the usual case, formatted by hand: the general formatter dominates large imports.
        return string.Create(19, utc, static (span, t) =>
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
        });
    }

    // The same text as UTF-8 into the buffer (32 bytes hold any), for binding without a string: the length written.
    public static int FormatDateTime(DateTime utc, Span<byte> utf8)
    {
        if (utc.Ticks % TimeSpan.TicksPerSecond != 0)
            return utc.TryFormat(utf8, out var written, StoreDateTimeFormat, CultureInfo.InvariantCulture) ? written : throw new ArgumentException("buffer too small", nameof(utf8));
        Span<char> chars = stackalloc char[19];
        Four(chars, 0, utc.Year);
        chars[4] = '-';
        Two(chars, 5, utc.Month);
        chars[7] = '-';
        Two(chars, 8, utc.Day);
        chars[10] = ' ';
        Two(chars, 11, utc.Hour);
        chars[13] = ':';
        Two(chars, 14, utc.Minute);
        chars[16] = ':';
        Two(chars, 17, utc.Second);
        for (var i = 0; i < 19; i++) utf8[i] = (byte)chars[i];
        return 19;
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

    public static string FormatDate(DateOnly date) => date.ToString(StoreDateFormat, CultureInfo.InvariantCulture);
}
