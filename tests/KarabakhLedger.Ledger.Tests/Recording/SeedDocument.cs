using System.Text;
using System.Text.RegularExpressions;

namespace KarabakhLedger.Ledger.Tests.Recording;

/// <summary>
/// A seed document read as the audit reads it (docs/corpus-audit.md, rule C): its body text in paragraphs, its
/// numbered footnotes, and for each footnote the run of body text it closes. The text is laid out in pages: each
/// block of footnotes ends a page, a paragraph broken by a footnote block (or by a pull quote, a paragraph that
/// repeats part of another) continues after it, and superscript digits are footnote markers.
/// </summary>
internal sealed partial class SeedDocument
{
    private const string Superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    private readonly List<Paragraph> _paragraphs = [];
    private readonly Dictionary<int, string> _footnotes = [];

    private SeedDocument(string text)
    {
        var page = 0;
        var lastWasFootnote = false;
        var body = new List<(string Text, int Page)>();
        foreach (var line in text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            var footnote = FootnoteLine().Match(line);
            if (footnote.Success && int.Parse(footnote.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) == _footnotes.Count + 1)
            {
                _footnotes[_footnotes.Count + 1] = footnote.Groups[2].Value;
                lastWasFootnote = true;
                continue;
            }

            if (lastWasFootnote)
            {
                page++;
                lastWasFootnote = false;
            }

            body.Add((line, page));
        }

        var kept = body.Where(b => !body.Any(other => other != b && Normalise(other.Text).Contains(Normalise(b.Text), StringComparison.Ordinal)
            && Normalise(other.Text).Length > Normalise(b.Text).Length)).ToList();
        foreach (var (line, linePage) in kept)
        {
            var previous = _paragraphs.LastOrDefault();
            if (previous is not null && previous.Continues)
            {
                previous.Append(line, linePage);
            }
            else
            {
                _paragraphs.Add(new Paragraph(line, linePage));
            }
        }
    }

    public static SeedDocument Parse(string text) => new(text.Replace("\r", "", StringComparison.Ordinal));

    public IReadOnlyDictionary<int, string> Footnotes => _footnotes;

    /// <summary>The body text, paragraphs on lines of their own, markers removed, whitespace collapsed.</summary>
    public string Body => string.Join('\n', _paragraphs.Select(p => Normalise(p.Text)));

    /// <summary>The normalised text of the paragraph holding <paramref name="fragment"/>, if one does.</summary>
    public string? ParagraphOf(string fragment)
    {
        var wanted = Normalise(fragment);
        return _paragraphs.Select(p => Normalise(p.Text)).FirstOrDefault(p => p.Contains(wanted, StringComparison.Ordinal));
    }

    /// <summary>
    /// The run of text footnote <paramref name="number"/> closes: the sentence carrying its marker, with the
    /// sentences before it in its paragraph back to the previous marker, on the marker's page (a sentence broken
    /// across a page counts with the page it ends on). Null when no marker <paramref name="number"/> is in the body.
    /// </summary>
    public string? Run(int number)
    {
        foreach (var paragraph in _paragraphs)
        {
            var sentences = paragraph.Sentences();
            var at = sentences.FindIndex(s => s.Markers.Contains(number));
            if (at < 0)
            {
                continue;
            }

            var first = at;
            while (first > 0 && sentences[first - 1].Markers.Count == 0 && sentences[first - 1].EndPage == sentences[at].StartPage)
            {
                first--;
            }

            return string.Join(' ', sentences.Skip(first).Take(at - first + 1).Select(s => Normalise(s.Text)));
        }

        return null;
    }

    /// <summary>Whitespace collapsed, footnote markers removed.</summary>
    public static string Normalise(string text)
    {
        var withoutMarkers = new string(text.Where(c => !Superscripts.Contains(c, StringComparison.Ordinal)).ToArray());
        return Whitespace().Replace(withoutMarkers, " ").Trim();
    }

    /// <summary>A passage's quoted fragments: the text between ellipses, normalised.</summary>
    public static IReadOnlyList<string> Fragments(string passage) =>
        passage.Split('…').Select(Normalise).Where(f => f.Length > 0).ToArray();

    /// <summary>True when every fragment occurs in <paramref name="text"/>, in order.</summary>
    public static bool ContainsInOrder(string text, IReadOnlyList<string> fragments)
    {
        var from = 0;
        foreach (var fragment in fragments)
        {
            var at = text.IndexOf(fragment, from, StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            from = at + fragment.Length;
        }

        return true;
    }

    private static int Marker(string digits) =>
        int.Parse(new string(digits.Select(c => (char)('0' + Superscripts.IndexOf(c, StringComparison.Ordinal))).ToArray()), System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(\d{1,2}) (.+)$")]
    private static partial Regex FootnoteLine();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"(?<=[.!?][”""’']?[⁰¹²³⁴⁵⁶⁷⁸⁹]*)\s+(?=[A-Z“""‘'(ÇÖÜ])")]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")]
    private static partial Regex Markers();

    private sealed record Sentence(string Text, IReadOnlyList<int> Markers, int StartPage, int EndPage);

    private sealed class Paragraph(string text, int page)
    {
        private readonly StringBuilder _text = new(text);
        private readonly List<(int Offset, int Page)> _pages = [(0, page)];

        public string Text => _text.ToString();

        /// <summary>The paragraph breaks off mid-sentence (a page or a pull quote interrupts it); headings do not continue.</summary>
        public bool Continues
        {
            get
            {
                var end = _text.ToString().TrimEnd().TrimEnd(Superscripts.ToCharArray());
                return end.Length > 100 && !".!?:”\"’'".Contains(end[^1], StringComparison.Ordinal);
            }
        }

        public void Append(string line, int linePage)
        {
            _text.Append(' ');
            _pages.Add((_text.Length, linePage));
            _text.Append(line);
        }

        public List<Sentence> Sentences()
        {
            var text = Text;
            var sentences = new List<Sentence>();
            var start = 0;
            foreach (var end in SentenceBreak().Matches(text).Select(m => m.Index).Append(text.Length))
            {
                var sentence = text[start..end];
                sentences.Add(new Sentence(sentence, Markers().Matches(sentence).Select(m => Marker(m.Value)).ToArray(), PageAt(start), PageAt(Math.Max(start, end - 1))));
                start = end;
            }

            return sentences;
        }

        private int PageAt(int offset) => _pages.Last(p => p.Offset <= offset).Page;
    }
}
