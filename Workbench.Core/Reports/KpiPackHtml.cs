using System.Net;
using System.Text;

namespace Workbench.Core.Reports;

// The pack as one self-contained HTML page: the same title, charts and tables as the deck, images as data: URIs, the
// style inline, no script and no outside reference; every text is HTML-encoded.
public static class KpiPackHtml
{
    private const string Style = """
        body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2rem auto;max-width:1240px;color:#1f2d3d;padding:0 1rem}
        h1{margin-bottom:.25rem}section{margin:2.5rem 0}p.meta,p.note{color:#52606d}img{max-width:100%;height:auto;border:1px solid #dde3ea}
        table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #dde3ea;padding:.35rem .5rem;text-align:left}
        th{background:#dde3ea}td.num{text-align:right;font-variant-numeric:tabular-nums}
        """;

    public static byte[] Write(PackContent content)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(content.Title)).Append("</title><style>")
            .Append(Style).Append("</style></head><body>\n");
        html.Append("<header><h1>").Append(E(content.Title)).Append("</h1>");
        html.Append("<p class=\"meta\">Period: ").Append(E(content.PeriodLabel)).Append(" (UTC days, both included)</p>");
        html.Append("<p class=\"meta\">").Append(E(content.Experiments.Count == 0 ? "Experiments: none in this period" : "Experiments: " + string.Join("; ", content.Experiments)))
            .Append("</p>");
        html.Append("<p class=\"meta\">Made ").Append(E(content.MadeAt.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture))).Append(" UTC</p></header>\n");
        foreach (var chart in content.Charts)
        {
            html.Append("<section><h2>").Append(E(chart.Title)).Append("</h2><img alt=\"").Append(E(chart.Title)).Append("\" width=\"")
                .Append(chart.Width).Append("\" height=\"").Append(chart.Height).Append("\" src=\"data:image/png;base64,")
                .Append(Convert.ToBase64String(chart.Png)).Append("\"><p class=\"note\">").Append(E(chart.Note)).Append("</p></section>\n");
        }
        foreach (var table in content.Tables)
        {
            html.Append("<section><h2>").Append(E(table.Title)).Append("</h2><table><thead><tr>");
            foreach (var h in table.Header) html.Append("<th>").Append(E(h)).Append("</th>");
            html.Append("</tr></thead><tbody>");
            foreach (var row in table.Rows)
            {
                html.Append("<tr>");
                for (var i = 0; i < row.Count; i++) html.Append(i < 2 ? "<td>" : "<td class=\"num\">").Append(E(row[i])).Append("</td>");
                html.Append("</tr>");
            }
            html.Append("</tbody></table><p class=\"note\">").Append(E(table.Note)).Append("</p></section>\n");
        }
        html.Append("</body></html>\n");
        return new UTF8Encoding(false).GetBytes(html.ToString());
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
