using System.Globalization;
using System.Text;

namespace Workbench.Core.Data;

// The store's UTC times ("yyyy-MM-dd HH:mm:ss" with optional fraction, as EF Core and the importer write them) read
// straight from their UTF-8 bytes: the feature rebuild parses twenty million of them.
internal static class StoreTime
{
    public static long ParseTicks(ReadOnlySpan<byte> text)
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
                for (var i = 20; i < text.Length && digits < 7; i++, digits++)
                {
                    var d = text[i] - '0';
                    if (d is < 0 or > 9) return Fallback(text);
                    fraction = fraction * 10 + d;
                }
                for (; digits < 7; digits++) fraction *= 10;
                return ticks + fraction;
            }
        }
        return Fallback(text);
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, int start, int count, out int value)
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

    private static long Fallback(ReadOnlySpan<byte> text) =>
        DateTime.Parse(Encoding.UTF8.GetString(text), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal).Ticks;
}
