namespace Workbench.Core.Playbook;

public enum SmsEncoding { Gsm7, Ucs2 }

// Length in the encoding's units (GSM-7 septets, an extension character counting two; UCS-2 UTF-16 code units) and
// segments: one message holds 160 septets or 70 units; a concatenated one 153 or 67 per segment (the 6-byte user data
// header takes the rest), and an escape pair or a surrogate pair is never split across two segments.
public sealed record SmsMeasure(SmsEncoding Encoding, int Characters, int Units, int Segments, int PerSegment)
{
    public string Summary => $"{Characters} characters, {Encoding switch { SmsEncoding.Gsm7 => "GSM-7", _ => "UCS-2" }}, {Units} units, {Segments} segment{(Segments == 1 ? "" : "s")}";
}

// GSM 03.38 default alphabet and its extension table (3GPP TS 23.038 §6.2.1).
public static class SmsMeter
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string Extension = "\f^{}\\[~]|€";

    private static readonly HashSet<char> BasicSet = [.. Basic];
    private static readonly HashSet<char> ExtensionSet = [.. Extension];

    public static bool IsGsm7(string text)
    {
        foreach (var ch in text)
            if (!BasicSet.Contains(ch) && !ExtensionSet.Contains(ch)) return false;
        return true;
    }

    public static SmsMeasure Measure(string text)
    {
        var gsm = IsGsm7(text);
        var (single, multi) = gsm ? (160, 153) : (70, 67);
        var units = 0;
        foreach (var ch in text) units += gsm && ExtensionSet.Contains(ch) ? 2 : 1;
        var chars = System.Globalization.StringInfo.ParseCombiningCharacters(text).Length;
        if (units <= single) return new SmsMeasure(gsm ? SmsEncoding.Gsm7 : SmsEncoding.Ucs2, chars, units, units == 0 ? 0 : 1, single);

        var segments = 1;
        var used = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var cost = gsm ? (ExtensionSet.Contains(text[i]) ? 2 : 1) : (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1);
            if (used + cost > multi) { segments++; used = 0; }
            used += cost;
            if (!gsm && cost == 2) i++;
        }
        return new SmsMeasure(gsm ? SmsEncoding.Gsm7 : SmsEncoding.Ucs2, chars, units, segments, multi);
    }
}
