using Workbench.Core.Playbook;

namespace Workbench.Tests.Core.Playbook;

// The limits are 3GPP TS 23.038 (GSM 7-bit default alphabet and extension table; UCS-2) with TS 23.040's
// concatenation header: 140 bytes = 160 septets or 70 UCS-2 units in one message, 153 / 67 per part once the 6-byte
// user data header is added. The same counts are what the common SMS length calculators show (e.g. Twilio's
// segment calculator): 160 a's one segment, 161 two, 306 two, 307 three.
public sealed class SmsMeterTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    [InlineData(459, 3)]
    [InlineData(460, 4)]
    public void Measure_Gsm7(int length, int segments)
    {
        var m = SmsMeter.Measure(new string('a', length));
        Assert.Equal(SmsEncoding.Gsm7, m.Encoding);
        Assert.Equal(length, m.Units);
        Assert.Equal(segments, m.Segments);
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void Measure_Ucs2_ForACharacterOutsideGsm7(int length, int segments)
    {
        var m = SmsMeter.Measure(new string('Ж', length));
        Assert.Equal(SmsEncoding.Ucs2, m.Encoding);
        Assert.Equal(segments, m.Segments);
    }

    [Fact]
    public void Measure_OneNonGsmCharacter_MakesTheWholeMessageUcs2()
    {
        var text = new string('a', 69) + "✓";
        Assert.Equal(new SmsMeasure(SmsEncoding.Ucs2, 70, 70, 1, 70), SmsMeter.Measure(text));
        Assert.Equal(2, SmsMeter.Measure(text + "a").Segments);
    }

    [Fact]
    public void Measure_ExtensionCharactersCountTwo()
    {
        // € ^ { } [ ] ~ | \ and form feed take an escape plus a septet: 80 € = 160 septets, one segment; 81 = 162, two.
        Assert.Equal(new SmsMeasure(SmsEncoding.Gsm7, 80, 160, 1, 160), SmsMeter.Measure(new string('€', 80)));
        Assert.Equal(2, SmsMeter.Measure(new string('€', 81)).Segments);
        Assert.Equal(20, SmsMeter.Measure("^{}[]~|\\€\f").Units);
        // An escape pair is never split across parts: 151 a's + € fill part one exactly (153), 152 a's make part two.
        // With 152 a's first, the € no longer fits in part one (154 > 153) and opens part two (€ + 151 a's = 153); the last
        // a opens part three: 3 parts for 306 septets, where 306 / 153 alone would say 2.
        Assert.Equal(2, SmsMeter.Measure(new string('a', 151) + "€" + new string('a', 152)).Segments);
        Assert.Equal(3, SmsMeter.Measure(new string('a', 152) + "€" + new string('a', 152)).Segments);
    }

    [Fact]
    public void Measure_GsmAccentsStayGsm7_OthersDoNot()
    {
        Assert.Equal(SmsEncoding.Ucs2, SmsMeter.Measure("Café £5 — no").Encoding); // the em dash is not in the default alphabet
        Assert.Equal(SmsEncoding.Gsm7, SmsMeter.Measure("Café à Zürich £5 ¿ñ? @ §").Encoding);
        Assert.Equal(SmsEncoding.Ucs2, SmsMeter.Measure("Crème brûlée").Encoding); // ê and û are not in the default alphabet
        Assert.Equal(SmsEncoding.Ucs2, SmsMeter.Measure("`").Encoding);
    }

    [Fact]
    public void Measure_EmojiIsTwoUtf16Units()
    {
        var m = SmsMeter.Measure("Hi 😀");
        Assert.Equal(SmsEncoding.Ucs2, m.Encoding);
        Assert.Equal(4, m.Characters);
        Assert.Equal(5, m.Units);
    }
}
