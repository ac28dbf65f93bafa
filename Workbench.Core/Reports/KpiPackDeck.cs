using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Presentation;
using A = DocumentFormat.OpenXml.Drawing;
using P = DocumentFormat.OpenXml.Presentation;

namespace Workbench.Core.Reports;

// The pack as a PowerPoint deck (16:9): a title slide, one slide per chart (its PNG, a title and the method in one
// line), one slide per table. Built from scratch with the Open XML SDK: one master, one blank layout, a plain theme.
public static class KpiPackDeck
{
    private const long SlideWidth = 12192000, SlideHeight = 6858000, Margin = 457200;

    public static byte[] Write(PackContent content)
    {
        using var stream = new MemoryStream();
        using (var document = PresentationDocument.Create(stream, PresentationDocumentType.Presentation))
        {
            var presentationPart = document.AddPresentationPart();
            var (master, layout) = AddMasterAndLayout(presentationPart);
            var slideIds = new SlideIdList();
            uint nextId = 256;
            var index = 1;

            void AddSlide(Action<ShapeTree, SlidePart> fill)
            {
                var slidePart = presentationPart.AddNewPart<SlidePart>($"rIdSlide{index++}");
                var tree = NewTree();
                slidePart.Slide = new Slide(new CommonSlideData(tree), new ColorMapOverride(new A.MasterColorMapping()));
                slidePart.AddPart(layout);
                fill(tree, slidePart);
                slideIds.Append(new SlideId { Id = nextId++, RelationshipId = presentationPart.GetIdOfPart(slidePart) });
            }

            AddSlide((tree, _) =>
            {
                tree.Append(TextBox(2, "Title", Margin, 1600000, SlideWidth - 2 * Margin, 1200000, content.Title, 4000, bold: true));
                var lines = new List<string> { $"Period: {content.PeriodLabel} (UTC days, both included)" };
                lines.Add(content.Experiments.Count == 0 ? "Experiments: none in this period" : "Experiments: " + string.Join("; ", content.Experiments));
                lines.Add($"Made {content.MadeAt:yyyy-MM-dd HH:mm} UTC");
                tree.Append(TextBox(3, "Subtitle", Margin, 3000000, SlideWidth - 2 * Margin, 2400000, lines, 1800));
            });
            foreach (var chart in content.Charts)
            {
                AddSlide((tree, slidePart) =>
                {
                    tree.Append(TextBox(2, "Title", Margin, 250000, SlideWidth - 2 * Margin, 600000, chart.Title, 2800, bold: true));
                    var imagePart = slidePart.AddImagePart(ImagePartType.Png);
                    using (var png = new MemoryStream(chart.Png)) imagePart.FeedData(png);
                    // The picture at the image's own proportions, as wide as the slide allows under the title.
                    long height = 5000000, width = height * chart.Width / chart.Height;
                    tree.Append(Picture(3, slidePart.GetIdOfPart(imagePart), (SlideWidth - width) / 2, 880000, width, height, chart.Title));
                    tree.Append(TextBox(4, "Method", Margin, 5950000, SlideWidth - 2 * Margin, 600000, chart.Note, 1200));
                });
            }
            foreach (var table in content.Tables)
            {
                AddSlide((tree, _) =>
                {
                    tree.Append(TextBox(2, "Title", Margin, 250000, SlideWidth - 2 * Margin, 600000, table.Title, 2400, bold: true));
                    tree.Append(Table(3, table, Margin, 950000, SlideWidth - 2 * Margin));
                    tree.Append(TextBox(4, "Method", Margin, 5950000, SlideWidth - 2 * Margin, 600000, table.Note, 1200));
                });
            }

            presentationPart.Presentation = new Presentation(
                new SlideMasterIdList(new SlideMasterId { Id = 2147483648U, RelationshipId = presentationPart.GetIdOfPart(master) }),
                slideIds,
                new SlideSize { Cx = (int)SlideWidth, Cy = (int)SlideHeight },
                new NotesSize { Cx = 6858000, Cy = 9144000 },
                new DefaultTextStyle());
            document.PackageProperties.Title = content.Title;
            document.PackageProperties.Creator = "Workbench";
        }
        return stream.ToArray();
    }


    private static ShapeTree NewTree() => new(
        new P.NonVisualGroupShapeProperties(new P.NonVisualDrawingProperties { Id = 1U, Name = "" }, new P.NonVisualGroupShapeDrawingProperties(),
            new ApplicationNonVisualDrawingProperties()),
        new GroupShapeProperties(new A.TransformGroup()));

    private static P.Shape TextBox(uint id, string name, long x, long y, long cx, long cy, string text, int size, bool bold = false) =>
        TextBox(id, name, x, y, cx, cy, [text], size, bold);

    private static P.Shape TextBox(uint id, string name, long x, long y, long cx, long cy, IEnumerable<string> lines, int size, bool bold = false)
    {
        var body = new P.TextBody(new A.BodyProperties { Wrap = A.TextWrappingValues.Square }, new A.ListStyle());
        foreach (var line in lines)
            body.Append(new A.Paragraph(new A.Run(new A.RunProperties { Language = "en-GB", FontSize = size, Bold = bold, Dirty = false },
                new A.Text(line))));
        return new P.Shape(
            new P.NonVisualShapeProperties(new P.NonVisualDrawingProperties { Id = id, Name = name },
                new P.NonVisualShapeDrawingProperties(new A.ShapeLocks { NoGrouping = true }), new ApplicationNonVisualDrawingProperties()),
            new P.ShapeProperties(new A.Transform2D(new A.Offset { X = x, Y = y }, new A.Extents { Cx = cx, Cy = cy }),
                new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle }),
            body);
    }

    private static P.Picture Picture(uint id, string relationshipId, long x, long y, long cx, long cy, string description) => new(
        new P.NonVisualPictureProperties(new P.NonVisualDrawingProperties { Id = id, Name = "Chart", Description = description },
            new P.NonVisualPictureDrawingProperties(new A.PictureLocks { NoChangeAspect = true }), new ApplicationNonVisualDrawingProperties()),
        new P.BlipFill(new A.Blip { Embed = relationshipId }, new A.Stretch(new A.FillRectangle())),
        new P.ShapeProperties(new A.Transform2D(new A.Offset { X = x, Y = y }, new A.Extents { Cx = cx, Cy = cy }),
            new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle }));

    private static GraphicFrame Table(uint id, PackTable table, long x, long y, long width)
    {
        const long rowHeight = 330000;
        var columns = table.Header.Count;
        // Each column as wide as its longest text asks (at least 6 characters' worth), so an interval stays on one line.
        var weights = Enumerable.Range(0, columns).Select(i => Math.Max(6, table.Rows.Select(r => r[i].Length).Append(table.Header[i].Length).Max())).ToList();
        var grid = new A.TableGrid();
        for (var i = 0; i < columns; i++) grid.Append(new A.GridColumn { Width = width * weights[i] / weights.Sum() });
        var tbl = new A.Table(new A.TableProperties { FirstRow = true, BandRow = true }, grid);
        tbl.Append(Row(table.Header, rowHeight, header: true));
        foreach (var row in table.Rows) tbl.Append(Row(row, rowHeight, header: false));
        return new GraphicFrame(
            new P.NonVisualGraphicFrameProperties(new P.NonVisualDrawingProperties { Id = id, Name = "Table" },
                new P.NonVisualGraphicFrameDrawingProperties(new A.GraphicFrameLocks { NoGrouping = true }), new ApplicationNonVisualDrawingProperties()),
            new Transform(new A.Offset { X = x, Y = y }, new A.Extents { Cx = width, Cy = rowHeight * (table.Rows.Count + 1) }),
            new A.Graphic(new A.GraphicData(tbl) { Uri = "http://schemas.openxmlformats.org/drawingml/2006/table" }));
    }

    private static A.TableRow Row(IReadOnlyList<string> cells, long height, bool header)
    {
        var row = new A.TableRow { Height = height };
        foreach (var text in cells)
        {
            var properties = new A.TableCellProperties();
            if (header) properties.Append(new A.SolidFill(new A.RgbColorModelHex { Val = "DDE3EA" }));
            row.Append(new A.TableCell(
                new A.TextBody(new A.BodyProperties(), new A.ListStyle(),
                    new A.Paragraph(new A.Run(new A.RunProperties { Language = "en-GB", FontSize = 1100, Bold = header, Dirty = false }, new A.Text(text)))),
                properties));
        }
        return row;
    }

    private static (SlideMasterPart Master, SlideLayoutPart Layout) AddMasterAndLayout(PresentationPart presentationPart)
    {
        var master = presentationPart.AddNewPart<SlideMasterPart>("rIdMaster");
        var layout = master.AddNewPart<SlideLayoutPart>("rIdLayout");
        layout.SlideLayout = new SlideLayout(new CommonSlideData(NewTree()) { Name = "Blank" }, new ColorMapOverride(new A.MasterColorMapping()))
        { Type = SlideLayoutValues.Blank };
        master.SlideMaster = new SlideMaster(
            new CommonSlideData(NewTree()),
            new P.ColorMap
            {
                Background1 = A.ColorSchemeIndexValues.Light1, Text1 = A.ColorSchemeIndexValues.Dark1,
                Background2 = A.ColorSchemeIndexValues.Light2, Text2 = A.ColorSchemeIndexValues.Dark2,
                Accent1 = A.ColorSchemeIndexValues.Accent1, Accent2 = A.ColorSchemeIndexValues.Accent2,
                Accent3 = A.ColorSchemeIndexValues.Accent3, Accent4 = A.ColorSchemeIndexValues.Accent4,
                Accent5 = A.ColorSchemeIndexValues.Accent5, Accent6 = A.ColorSchemeIndexValues.Accent6,
                Hyperlink = A.ColorSchemeIndexValues.Hyperlink, FollowedHyperlink = A.ColorSchemeIndexValues.FollowedHyperlink,
            },
            new SlideLayoutIdList(new SlideLayoutId { Id = 2147483649U, RelationshipId = master.GetIdOfPart(layout) }),
            new TextStyles(new TitleStyle(), new BodyStyle(), new OtherStyle()));
        var theme = master.AddNewPart<ThemePart>("rIdTheme");
        theme.Theme = Theme();
        presentationPart.AddPart(theme, "rIdTheme");
        return (master, layout);
    }

    private static A.Theme Theme()
    {
        static A.SolidFill Fill(A.SchemeColorValues c) => new(new A.SchemeColor { Val = c });
        static A.Outline Line(int w) => new(Fill(A.SchemeColorValues.PhColor)) { Width = w };
        return new A.Theme(
            new A.ThemeElements(
                new A.ColorScheme(
                    new A.Dark1Color(new A.SystemColor { Val = A.SystemColorValues.WindowText, LastColor = "000000" }),
                    new A.Light1Color(new A.SystemColor { Val = A.SystemColorValues.Window, LastColor = "FFFFFF" }),
                    new A.Dark2Color(new A.RgbColorModelHex { Val = "1F2D3D" }),
                    new A.Light2Color(new A.RgbColorModelHex { Val = "EEF2F6" }),
                    new A.Accent1Color(new A.RgbColorModelHex { Val = "2F5597" }),
                    new A.Accent2Color(new A.RgbColorModelHex { Val = "C0504D" }),
                    new A.Accent3Color(new A.RgbColorModelHex { Val = "9BBB59" }),
                    new A.Accent4Color(new A.RgbColorModelHex { Val = "8064A2" }),
                    new A.Accent5Color(new A.RgbColorModelHex { Val = "4BACC6" }),
                    new A.Accent6Color(new A.RgbColorModelHex { Val = "F79646" }),
                    new A.Hyperlink(new A.RgbColorModelHex { Val = "0563C1" }),
                    new A.FollowedHyperlinkColor(new A.RgbColorModelHex { Val = "954F72" })) { Name = "Workbench" },
                new A.FontScheme(
                    new A.MajorFont(new A.LatinFont { Typeface = "DejaVu Sans" }, new A.EastAsianFont { Typeface = "" }, new A.ComplexScriptFont { Typeface = "" }),
                    new A.MinorFont(new A.LatinFont { Typeface = "DejaVu Sans" }, new A.EastAsianFont { Typeface = "" }, new A.ComplexScriptFont { Typeface = "" }))
                { Name = "Workbench" },
                new A.FormatScheme(
                    new A.FillStyleList(Fill(A.SchemeColorValues.PhColor), Fill(A.SchemeColorValues.PhColor), Fill(A.SchemeColorValues.PhColor)),
                    new A.LineStyleList(Line(9525), Line(25400), Line(38100)),
                    new A.EffectStyleList(new A.EffectStyle(new A.EffectList()), new A.EffectStyle(new A.EffectList()), new A.EffectStyle(new A.EffectList())),
                    new A.BackgroundFillStyleList(Fill(A.SchemeColorValues.PhColor), Fill(A.SchemeColorValues.PhColor), Fill(A.SchemeColorValues.PhColor)))
                { Name = "Workbench" }),
            new A.ObjectDefaults(),
            new A.ExtraColorSchemeList()) { Name = "Workbench" };
    }
}
