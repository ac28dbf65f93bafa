using System.Globalization;

namespace Workbench.Features.Segments;

public static class SegmentFormat
{
    public static string Percent(double fraction, int decimals = 1) =>
        (fraction * 100).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%";
}
