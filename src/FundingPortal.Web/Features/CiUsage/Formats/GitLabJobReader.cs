using System.Text.Json;

namespace FundingPortal.Web.Features.CiUsage;

/// <summary>
/// Streams the job objects out of a GitLab jobs file: each object is read whole (a few KB) and everything else stays on disk.
/// </summary>
public static class GitLabJobReader
{
    private const int MaxJobBytes = 4 << 20;

    /// <summary>
    /// Every job object in the file with the line it starts on, whether the objects sit in one array, in several arrays one
    /// after the other, or one per line. The buffer grows only to the largest single object.
    /// </summary>
    public static IEnumerable<(int Line, JsonElement Job)> Objects(Stream stream)
    {
        var buffer = new byte[1 << 16];
        var length = 0;
        var final = false;
        var line = 1;
        var state = new JsonReaderState(new JsonReaderOptions { AllowMultipleValues = true, CommentHandling = JsonCommentHandling.Skip });
        var depth = 0; // 0 = between top-level values, 1 = inside a top-level array
        var start = 0;

        bool Fill()
        {
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, length - start);
                length -= start;
                start = 0;
            }
            if (length == buffer.Length)
            {
                if (buffer.Length >= MaxJobBytes)
                {
                    throw new ImportFileException($"Line {line}: one JSON value is larger than {MaxJobBytes / (1 << 20)} MB; is this a GitLab jobs export?");
                }
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            var read = stream.Read(buffer, length, buffer.Length - length);
            if (read == 0)
            {
                final = true;
            }
            length += read;
            return read > 0;
        }

        if (length == 0)
        {
            Fill();
            if (length >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
            {
                start = 3;
            }
        }

        while (true)
        {
            var (kind, consumed, element, newState) = NextToken(buffer.AsSpan(start, length - start), final, state, depth, ref line);
            if (kind == TokenKind.NeedMore)
            {
                if (final)
                {
                    if (length - start > 0 && buffer.AsSpan(start, length - start).IndexOfAnyExcept(" \t\r\n"u8) >= 0)
                    {
                        throw new ImportFileException($"Line {line}: the JSON ends in the middle of a value (a truncated file?).");
                    }
                    break;
                }
                Fill();
                continue;
            }
            state = newState;
            start += consumed;
            switch (kind)
            {
                case TokenKind.ArrayStart:
                    depth = 1;
                    break;
                case TokenKind.ArrayEnd:
                    depth = 0;
                    break;
                case TokenKind.Object:
                    yield return (element.Line, element.Value);
                    break;
            }
        }
    }

    private enum TokenKind
    {
        NeedMore,
        ArrayStart,
        ArrayEnd,
        Object,
    }

    private static (TokenKind Kind, int Consumed, (int Line, JsonElement Value) Element, JsonReaderState State) NextToken(
        ReadOnlySpan<byte> data, bool final, JsonReaderState state, int depth, ref int line)
    {
        var reader = new Utf8JsonReader(data, final, state);
        try
        {
            if (!reader.Read())
            {
                return (TokenKind.NeedMore, 0, default, state);
            }
            var tokenStart = (int)reader.TokenStartIndex;
            var tokenLine = line + data[..tokenStart].Count((byte)'\n');
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray when depth == 0:
                    line = tokenLine;
                    return (TokenKind.ArrayStart, (int)reader.BytesConsumed, default, reader.CurrentState);
                case JsonTokenType.EndArray when depth == 1:
                    line = tokenLine;
                    return (TokenKind.ArrayEnd, (int)reader.BytesConsumed, default, reader.CurrentState);
                case JsonTokenType.StartObject:
                    var copy = reader;
                    if (!copy.TrySkip())
                    {
                        return (TokenKind.NeedMore, 0, default, state);
                    }
                    using (var document = JsonDocument.ParseValue(ref reader))
                    {
                        var consumed = (int)reader.BytesConsumed;
                        line = tokenLine + data[tokenStart..consumed].Count((byte)'\n');
                        return (TokenKind.Object, consumed, (tokenLine, document.RootElement.Clone()), reader.CurrentState);
                    }
                default:
                    throw new ImportFileException($"Line {tokenLine}: expected a GitLab job object or an array of jobs, found {reader.TokenType}.");
            }
        }
        catch (JsonException exception)
        {
            throw new ImportFileException($"Line {line + (int)(exception.LineNumber ?? 0)}: the file is not valid JSON ({exception.Message.Split(". ")[0]}).");
        }
    }
}
