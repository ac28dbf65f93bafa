using System.Text.Encodings.Web;
using System.Text.Unicode;
using Fluid;
using Fluid.Values;

namespace Workbench.Core.Playbook;

public sealed record RenderedMessage(
    string PlayId,
    string Channel,
    string Variant,
    string? Subject,
    string? Html,
    string? Text,
    string? Title,
    string? Body,
    SmsMeasure? Sms,
    IReadOnlyList<string> Problems);

// Renders a play's content for one customer. E-mail HTML: every output is HTML-encoded (customer text such as a name
// can never become markup), the authored HTML was sanitised before parsing (ContentSanitizer), and a template with an
// output inside a tag has its result sanitised again. Subject, SMS, push and banner parts are plain text, not encoded.
// Templates are parsed once per distinct text (LiquidTemplates); customer values are converted once per customer.
public static class PlayRenderer
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public static RenderedMessage? Render(Play play, string channel, string? variant,
        IReadOnlyDictionary<string, FluidValue> customer, IReadOnlyList<RecommendedProduct> recommendations)
    {
        var content = play.ContentFor(channel);
        var v = variant is null ? content?.Variants.FirstOrDefault() : content?.Variants.FirstOrDefault(x => x.Name == variant);
        if (v is null) return null;

        var context = new TemplateContext(LiquidTemplates.Options);
        foreach (var (name, value) in customer) context.SetValue(name, value);
        context.SetValue("offer", TemplateVariables.Offer(play.Offer));
        context.SetValue("recommended_products", TemplateVariables.Products(recommendations));

        var problems = new List<string>();
        string? Part(string part)
        {
            var source = PlayChannels.Part(v, part);
            if (source is null) return null;
            var html = part == "html";
            var parsed = LiquidTemplates.Get(source, html);
            if (parsed.Template is null)
            {
                problems.Add($"{part}: {parsed.Error}");
                return null;
            }
            var output = parsed.Template.Render(context, html ? Html : (TextEncoder)NullEncoder.Default);
            return html && parsed.Sanitized is { OutputInTag: true } ? ContentSanitizer.SanitizeHtml(output) : output;
        }

        var text = channel == PlayChannels.Sms ? Part("text") : null;
        return new RenderedMessage(play.Id, channel, v.Name,
            channel == PlayChannels.Email ? Part("subject") : null,
            channel == PlayChannels.Email ? Part("html") : null,
            text,
            channel is PlayChannels.Push or PlayChannels.App ? Part("title") : null,
            channel is PlayChannels.Push or PlayChannels.App ? Part("body") : null,
            text is null ? null : SmsMeter.Measure(text),
            problems);
    }
}
