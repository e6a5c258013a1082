using System.Text;

namespace FundingPortal.Web.Features.Transparency;

public sealed record ChartSeries(string Name, string Colour, IReadOnlyList<long> Values);

/// <summary>
/// Small charts and badges drawn as SVG on the server, so they show without JavaScript and in a README. Every text is XML-escaped.
/// </summary>
public static class PublicSvg
{
    private const int Height = 160;
    private const int Bottom = 20;

    public static string Escape(string text) => System.Security.SecurityElement.Escape(text) ?? "";

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>A shields-style badge: a grey label and a coloured value.</summary>
    public static string Badge(string label, string value, string colour)
    {
        var left = 10 + (label.Length * 7);
        var right = 10 + (value.Length * 7);
        var width = left + right;
        var title = Escape($"{label}: {value}");
        return $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="{title}"><title>{title}</title><rect width="{left}" height="20" fill="#555"/><rect x="{left}" width="{right}" height="20" fill="{Escape(colour)}"/><g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle"><text x="{N(left / 2.0)}" y="14">{Escape(label)}</text><text x="{N(left + (right / 2.0))}" y="14">{Escape(value)}</text></g></svg>
            """;
    }

    /// <summary>Bars per label: side by side when <paramref name="stacked"/> is false, one on another when true.</summary>
    public static string Bars(string title, IReadOnlyList<string> labels, IReadOnlyList<ChartSeries> series, bool stacked)
    {
        var slot = 40;
        // At least a year's width, so one month of data does not become one giant bar.
        var width = Math.Max(12, labels.Count) * slot;
        var max = labels.Count == 0 || series.Count == 0 ? 0 : Enumerable.Range(0, labels.Count)
            .Max(i => stacked ? series.Sum(s => Math.Max(0, s.Values[i])) : series.Max(s => Math.Max(0, s.Values[i])));
        var scale = max <= 0 ? 0 : (Height - Bottom - 4) / (double)max;
        var svg = Open(title, width);
        for (var i = 0; i < labels.Count; i++)
        {
            var x = i * slot;
            var baseY = (double)(Height - Bottom);
            var barWidth = stacked ? slot - 8 : (slot - 8) / (double)Math.Max(1, series.Count);
            for (var s = 0; s < series.Count; s++)
            {
                var h = Math.Max(0, series[s].Values[i]) * scale;
                var bx = stacked ? x + 4 : x + 4 + (s * barWidth);
                var by = stacked ? baseY - h : Height - Bottom - h;
                svg.Append(CultureInfo.InvariantCulture,
                    $"""<rect x="{N(bx)}" y="{N(by)}" width="{N(barWidth)}" height="{N(h)}" fill="{Escape(series[s].Colour)}"><title>{Escape($"{labels[i]} {series[s].Name}")}</title></rect>""");
                if (stacked)
                {
                    baseY -= h;
                }
            }
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(x + (slot / 2.0))}" y="{Height - 6}" font-size="10" text-anchor="middle" fill="currentColor">{Escape(labels[i])}</text>""");
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>A line through the values; missing values (null) break the line.</summary>
    public static string Line(string title, IReadOnlyList<string> labels, IReadOnlyList<decimal?> values, string colour)
    {
        var slot = 40;
        var width = Math.Max(12, labels.Count) * slot;
        var max = values.Where(v => v is not null).Select(v => (double)v!.Value).DefaultIfEmpty(0).Max();
        var scale = max <= 0 ? 0 : (Height - Bottom - 14) / max;
        var svg = Open(title, width);
        var points = new List<string>();
        for (var i = 0; i < labels.Count; i++)
        {
            var x = (i * slot) + (slot / 2.0);
            if (values[i] is { } value)
            {
                var y = Height - Bottom - ((double)value * scale);
                points.Add($"{N(x)},{N(y)}");
                svg.Append(CultureInfo.InvariantCulture,
                    $"""<circle cx="{N(x)}" cy="{N(y)}" r="3" fill="{Escape(colour)}"><title>{Escape($"{labels[i]}: {value.ToString("0.#", CultureInfo.InvariantCulture)} months")}</title></circle>""");
            }
            else if (points.Count > 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<polyline points="{string.Join(' ', points)}" fill="none" stroke="{Escape(colour)}" stroke-width="2"/>""");
                points.Clear();
            }
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(x)}" y="{Height - 6}" font-size="10" text-anchor="middle" fill="currentColor">{Escape(labels[i])}</text>""");
        }
        if (points.Count > 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<polyline points="{string.Join(' ', points)}" fill="none" stroke="{Escape(colour)}" stroke-width="2"/>""");
        }
        return svg.Append("</svg>").ToString();
    }

    private static StringBuilder Open(string title, int width) => new StringBuilder().Append(CultureInfo.InvariantCulture,
        $"""<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {Height}" preserveAspectRatio="xMinYMid meet" role="img" aria-label="{Escape(title)}"><title>{Escape(title)}</title><line x1="0" y1="{Height - Bottom}" x2="{width}" y2="{Height - Bottom}" stroke="currentColor" stroke-opacity="0.3"/>""");
}
