using System.CommandLine;
using KarabakhLedger.Ledger.Checkpoints;

namespace KarabakhLedger.Cli.Hosting;

/// <summary>The key and checkpoint files the audit commands read, each with one clear error naming its option.</summary>
public static class AuditFiles
{
    public static Option<string?> PublicKeyOption(string description) => new("--key") { Description = description };

    /// <exception cref="UserInputException">the file cannot be read, is not an Ed25519 private key, or others can read it.</exception>
    public static LedgerSigningKey LoadSigningKey(string path, string option)
    {
        try
        {
            return LedgerSigningKey.Load(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new UserInputException($"{option}: {e.Message}");
        }
    }

    /// <exception cref="UserInputException">the file cannot be read or is not a checkpoint.</exception>
    public static Checkpoint LoadCheckpoint(string path, string option)
    {
        try
        {
            return Checkpoint.Load(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new UserInputException($"{option}: {e.Message}");
        }
    }

    /// <exception cref="UserInputException">the file cannot be read or is not an Ed25519 public key.</exception>
    public static LedgerVerifyingKey LoadPublicKey(string path, string option)
    {
        try
        {
            return LedgerVerifyingKey.Load(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new UserInputException($"{option}: {e.Message}");
        }
    }
}
