using System.IO.Compression;

namespace KarabakhLedger.Ledger.Import;

/// <summary>
/// One file to import, opened as text: a plain file, a <c>.gz</c> (decompressed as read), every entry of a <c>.zip</c>
/// in turn, or standard input. <see cref="Name"/> is what events cite: the file name, the entry's name inside a
/// zip, without <c>.gz</c>, so the same rows compressed or not are the same rows.
/// <see cref="Position"/>/<see cref="Length"/> measure progress in the bytes of the file as stored.
/// </summary>
public sealed class ImportInput : IDisposable
{
    private readonly IDisposable? _owner;
    private readonly Stream? _measured;

    private ImportInput(string name, TextReader reader, Stream? measured, long? length, IDisposable? owner)
    {
        Name = name;
        Reader = reader;
        _measured = measured;
        Length = length;
        _owner = owner;
    }

    public string Name { get; }

    public TextReader Reader { get; }

    public long? Length { get; }

    public long Position => _measured?.Position ?? 0;

    /// <summary>Standard input (or any reader), cited as <paramref name="name"/>.</summary>
    public static ImportInput FromReader(TextReader reader, string name = "stdin") => new(name, reader, null, null, null);

    /// <summary>The texts in <paramref name="path"/>: one for a plain or .gz file, one per entry of a .zip (opened as they are read).</summary>
    public static IEnumerable<ImportInput> Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' does not exist", path);
        }

        var fileName = Path.GetFileName(path);
        if (fileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            using var file = File.OpenRead(path);
            using var zip = new ZipArchive(file, ZipArchiveMode.Read);
            foreach (var entry in zip.Entries.Where(e => !e.FullName.EndsWith('/')).ToArray())
            {
                var stream = entry.Open();
                using var input = new ImportInput(entry.Name, new StreamReader(stream), file, file.Length, stream);
                yield return input;
            }

            yield break;
        }

        var raw = File.OpenRead(path);
        if (fileName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            var gzip = new GZipStream(raw, CompressionMode.Decompress);
            yield return new ImportInput(fileName[..^3], new StreamReader(gzip), raw, raw.Length, new Owned(gzip, raw));
            yield break;
        }

        yield return new ImportInput(fileName, new StreamReader(raw), raw, raw.Length, raw);
    }

    public void Dispose()
    {
        Reader.Dispose();
        _owner?.Dispose();
    }

    private sealed class Owned(params IDisposable[] parts) : IDisposable
    {
        public void Dispose()
        {
            foreach (var part in parts)
            {
                part.Dispose();
            }
        }
    }
}
