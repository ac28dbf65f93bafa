using Workbench.Core.Csv;

namespace Workbench.Tests.Core.Csv;

public sealed class SafeCsvTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")")]
    [InlineData("+447700900123", "'+447700900123")]
    [InlineData("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "'\rx")]
    [InlineData("-12.5", "-12.5")]
    [InlineData("Anna", "Anna")]
    [InlineData("", "")]
    public void Neutralise_FormulaStarts_GetAQuote(string field, string expected) => Assert.Equal(expected, SafeCsv.Neutralise(field));
}
