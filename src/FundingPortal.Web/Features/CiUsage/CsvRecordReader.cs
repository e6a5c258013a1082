using System.Text;

namespace FundingPortal.Web.Features.CiUsage;

/// <summary>
/// A small streaming RFC 4180 reader: quoted fields with commas, quotes and line breaks, CRLF or LF, a byte-order mark, and the
/// line each record starts on (what a person sees in an editor). It holds one record at a time, never the file.
/// </summary>
public sealed class CsvRecordReader(TextReader reader, int maxFieldLength = 1 << 20)
{
    private readonly char[] _buffer = new char[1 << 16];
    private readonly StringBuilder _field = new();
    private int _position;
    private int _length;
    private int _line = 1;
    private bool _first = true;

    public List<string> Fields { get; } = [];

    /// <summary>The line the current record starts on.</summary>
    public int RecordLine { get; private set; }

    /// <summary>Reads the next non-empty record into <see cref="Fields"/>; false at the end of the file.</summary>
    public bool Read()
    {
        while (true)
        {
            Fields.Clear();
            RecordLine = _line;
            var result = ReadRecord();
            if (result == RecordEnd.EndOfFile && Fields.Count == 0)
            {
                return false;
            }
            // Blank lines (often one at the end of an export) are not rows.
            if (Fields.Count == 1 && Fields[0].Length == 0)
            {
                if (result == RecordEnd.EndOfFile)
                {
                    return false;
                }
                continue;
            }
            return true;
        }
    }

    private enum RecordEnd
    {
        EndOfLine,
        EndOfFile,
    }

    private RecordEnd ReadRecord()
    {
        while (true)
        {
            _field.Clear();
            var c = Next();
            if (_first)
            {
                _first = false;
                if (c == '\uFEFF')
                {
                    c = Next();
                }
            }
            if (c == -1)
            {
                if (Fields.Count > 0)
                {
                    Fields.Add("");
                }
                return RecordEnd.EndOfFile;
            }
            if (c == '"')
            {
                var start = _line;
                while (true)
                {
                    c = Next();
                    if (c == -1)
                    {
                        throw new ImportFileException($"Line {start}: a quoted field never closes (a \" is missing).");
                    }
                    if (c == '"')
                    {
                        if (Peek() == '"')
                        {
                            Next();
                            Append('"', start);
                            continue;
                        }
                        break;
                    }
                    if (c == '\n')
                    {
                        _line++;
                    }
                    Append((char)c, start);
                }
                c = Next();
                if (c is not (',' or '\r' or '\n' or -1))
                {
                    throw new ImportFileException($"Line {_line}, field {Fields.Count + 1}: unexpected text after a closing quote.");
                }
            }
            else
            {
                while (c is not (',' or '\r' or '\n' or -1))
                {
                    Append((char)c, _line);
                    c = Next();
                }
            }
            Fields.Add(_field.ToString());
            switch (c)
            {
                case ',':
                    continue;
                case '\r':
                    if (Peek() == '\n')
                    {
                        Next();
                    }
                    _line++;
                    return RecordEnd.EndOfLine;
                case '\n':
                    _line++;
                    return RecordEnd.EndOfLine;
                default:
                    return RecordEnd.EndOfFile;
            }
        }
    }

    private void Append(char c, int line)
    {
        if (_field.Length >= maxFieldLength)
        {
            throw new ImportFileException($"Line {line}, field {Fields.Count + 1}: the field is longer than {maxFieldLength:N0} characters.");
        }
        _field.Append(c);
    }

    private int Next()
    {
        if (_position == _length && !Fill())
        {
            return -1;
        }
        return _buffer[_position++];
    }

    private int Peek()
    {
        if (_position == _length && !Fill())
        {
            return -1;
        }
        return _buffer[_position];
    }

    private bool Fill()
    {
        _length = reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        return _length > 0;
    }
}

/// <summary>A file that cannot be imported at all (another format, a missing column, unreadable text): the batch fails with this message.</summary>
public sealed class ImportFileException(string message) : Exception(message);
