using System.Text.RegularExpressions;
using Ganss.Xss;

namespace Workbench.Core.Playbook;

// Authored e-mail HTML through HtmlSanitizer (scripts, event handlers, javascript: and other unsafe URLs removed).
// A template's Liquid tags are set aside as plain placeholders while the HTML is cleaned, so "{{ x }}" in a text or an
// attribute survives as written. OutputInTag says an attribute takes a Liquid output: such a template's rendered HTML
// is cleaned again, since a value there (say a link from data) could carry a javascript: address.
public static partial class ContentSanitizer
{
    private static readonly HtmlSanitizer Shared = Create();

    private static HtmlSanitizer Create()
    {
        var s = new HtmlSanitizer();
        s.AllowedAttributes.Add("class");
        s.AllowedSchemes.Add("mailto");
        return s;
    }

    [GeneratedRegex(@"\{\{.*?\}\}|\{%.*?%\}", RegexOptions.Singleline)]
    private static partial Regex LiquidTag();

    [GeneratedRegex("wbliquid([0-9]+)x")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"<[^>]*wbliquid[0-9]+x[^>]*>")]
    private static partial Regex PlaceholderInTag();

    // Rendered HTML (thread-safe on the shared instance, whose settings never change after start).
    public static string SanitizeHtml(string html) => Shared.Sanitize(html);

    public static SanitizedTemplate SanitizeTemplate(string source)
    {
        var tags = new List<string>();
        var protectedSource = LiquidTag().Replace(source, m =>
        {
            tags.Add(m.Value);
            return $"wbliquid{tags.Count - 1}x";
        });
        // A fresh instance per template, so its removal events belong to this call alone.
        var sanitizer = Create();
        var removed = new List<string>();
        sanitizer.RemovingTag += (_, e) => removed.Add($"<{e.Tag.LocalName}> element");
        sanitizer.RemovingAttribute += (_, e) => removed.Add(e.Reason == RemoveReason.NotAllowedUrlValue
            ? $"{e.Attribute.Name}=\"{e.Attribute.Value}\" on <{e.Tag.LocalName}> (unsafe address)"
            : $"{e.Attribute.Name} attribute on <{e.Tag.LocalName}>");
        sanitizer.RemovingStyle += (_, e) => removed.Add($"style {e.Style.Name} on <{e.Tag.LocalName}>");
        sanitizer.RemovingComment += (_, _) => removed.Add("an HTML comment");
        var clean = sanitizer.Sanitize(protectedSource);

        var outputInTag = PlaceholderInTag().Matches(clean)
            .Any(m => Placeholder().Matches(m.Value).Any(p => int.Parse(p.Groups[1].Value) is var i && i < tags.Count && tags[i].StartsWith("{{", StringComparison.Ordinal)));
        var seen = new bool[tags.Count];
        var restored = Placeholder().Replace(clean, m =>
        {
            var i = int.Parse(m.Groups[1].Value);
            if (i >= tags.Count) return m.Value;
            seen[i] = true;
            return tags[i];
        });
        return new SanitizedTemplate(restored, removed, outputInTag, seen.Count(x => !x));
    }
}

// Removed: what the sanitiser took out, in words. LostTags: Liquid tags that were inside removed markup.
public sealed record SanitizedTemplate(string Html, IReadOnlyList<string> Removed, bool OutputInTag, int LostTags);
