using System.Globalization;
using System.Text;

namespace Workbench.Components.Shared;

// The title written into an exported chart and the file name it is saved under: title, subject and date, e.g.
// "monthly-spend_customer-c0000042_2026-12-01".
public sealed record ChartNaming(string Title, string Subject, DateOnly Date)
{
    public string ImageTitle => $"{Title} · {Subject} · {Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    public string FileStem => $"{Slug(Title)}_{Slug(Subject)}_{Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    private static string Slug(string text)
    {
        var slug = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormKD))
        {
            if (char.IsAsciiLetterOrDigit(c)) slug.Append(char.ToLowerInvariant(c));
            else if (c is '.' && slug.Length > 0 && char.IsAsciiDigit(slug[^1])) slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-') slug.Append('-');
        }
        var result = slug.ToString().Trim('-');
        return result.Length > 60 ? result[..60].TrimEnd('-') : result.Length == 0 ? "chart" : result;
    }
}
