namespace CodingAgent.Configuration;

public sealed class StorageOptions
{
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>Lower-case letters and digits put in front of every table and container name (tests isolate themselves with it).</summary>
    public string NamePrefix { get; set; } = string.Empty;
}
