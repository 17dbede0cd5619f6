namespace CodingAgent.Configuration;

public sealed class SecretOptions
{
    /// <summary>Base64 of a 32-byte key for encrypting per-run secrets at rest. When unset, a key file is created under the app data directory.</summary>
    public string? EncryptionKey { get; set; }
}
