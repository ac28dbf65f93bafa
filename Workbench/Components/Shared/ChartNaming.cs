using System.Globalization;
using System.Text;

namespace Workbench.Components.Shared;

// The title written into an exported chart and the file name it is saved under: title, subject and date, e.g.
// "monthly-spend_customer-c0000042_2026-12-01". In the image the title is one line and "subject · date" a smaller line
// under it, each wrapped at word boundaries so a half-width chart shows all of it (Plotly never wraps a title itself).
public sealed record ChartNaming(string Title, string Subject, DateOnly Date)
{
    public const int TitleLineChars = 60;
    public const int SubtitleLineChars = 72;
    public const int TitleFontSize = 13;
    public const int SubtitleFontSize = 11;

    public string Subtitle => $"{Subject} · {Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    public IReadOnlyList<string> TitleLines => Wrap(Title, TitleLineChars);

    public IReadOnlyList<string> SubtitleLines => Wrap(Subtitle, SubtitleLineChars);

    // Plotly's title markup: the lines joined by <br>, the subtitle's in a smaller span (<, > and & escaped, so a
    // segment name cannot add markup of its own).
    public string PlotlyTitle =>
        string.Join("<br>", TitleLines.Select(Escape)) + "<br>" +
        string.Join("<br>", SubtitleLines.Select(l => $"<span style=\"font-size:{SubtitleFontSize}px\">{Escape(l)}</span>"));

    // Pixels above the plot the title needs: the pad that keeps it under the modebar's row, each line, a gap before the plot.
    public const int TitlePad = 42;

    public int TopMargin => TitlePad + TitleLines.Count * 17 + SubtitleLines.Count * 15 + 14;

    public string FileStem => $"{Slug(Title)}_{Slug(Subject)}_{Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    // Plotly reads &lt; &gt; &amp; back (its own entity table); anything else it shows as written.
    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    internal static IReadOnlyList<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0 || lines.Count == 0) lines.Add(line.ToString());
        return lines;
    }

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
