using System.Security.Cryptography;
using System.Text;
using CodingAgent.Configuration;
using Microsoft.Extensions.Options;

namespace CodingAgent.Storage;

/// <summary>AES-GCM encryption of per-run secrets at rest. The key comes from configuration, or a key file in the app data directory.</summary>
public sealed class SecretProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] key;

    public SecretProtector(IOptions<SecretOptions> options)
    {
        key = options.Value.EncryptionKey is { Length: > 0 } configured
            ? Convert.FromBase64String(configured)
            : LoadOrCreateKeyFile();
        if (key.Length != 32)
        {
            throw new InvalidOperationException("CodingAgent:Secrets:EncryptionKey must be the base64 of 32 bytes.");
        }
    }

    public string Protect(string plaintext)
    {
        byte[] plain = Encoding.UTF8.GetBytes(plaintext);
        byte[] output = new byte[NonceSize + TagSize + plain.Length];
        Span<byte> nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using AesGcm aes = new(key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize));
        return Convert.ToBase64String(output);
    }

    public string Unprotect(string protectedText)
    {
        byte[] input = Convert.FromBase64String(protectedText);
        byte[] plain = new byte[input.Length - NonceSize - TagSize];
        using AesGcm aes = new(key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), plain);
        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] LoadOrCreateKeyFile()
    {
        string path = Path.Combine(AppDataPaths.Root, "secret-encryption.key");
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        Directory.CreateDirectory(AppDataPaths.Root);
        byte[] created = RandomNumberGenerator.GetBytes(32);
        string temp = path + ".tmp";
        File.WriteAllText(temp, Convert.ToBase64String(created));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        try
        {
            File.Move(temp, path, overwrite: false);
            return created;
        }
        catch (IOException)
        {
            // Another process created it first: use theirs.
            File.Delete(temp);
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
    }
}
