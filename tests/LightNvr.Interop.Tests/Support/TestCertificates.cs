namespace LightNvr.Interop.Tests.Support;

/// <summary>
/// A CA and a server certificate signed by it (subjectAltName IP 127.0.0.1 and DNS localhost), made with openssl in a
/// temp folder; and a second, unrelated CA for the "wrong CA" case.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(string folder) => Folder = folder;

    public string Folder { get; }

    public string CaFile => Path.Combine(Folder, "ca.pem");

    public string OtherCaFile => Path.Combine(Folder, "other-ca.pem");

    public string ServerCertFile => Path.Combine(Folder, "server.pem");

    public string ServerKeyFile => Path.Combine(Folder, "server.key");

    public static TestCertificates Create()
    {
        var folder = Path.Combine(Path.GetTempPath(), "lightnvr-certs-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var c = new TestCertificates(folder);
        string F(string name) => Path.Combine(folder, name);
        Mosquitto.Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", F("ca.key"), "-out", c.CaFile, "-days", "2",
            "-subj", "/CN=LightNVR test CA");
        Mosquitto.Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", F("other-ca.key"), "-out", c.OtherCaFile,
            "-days", "2", "-subj", "/CN=Unrelated CA");
        Mosquitto.Run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", c.ServerKeyFile, "-out", F("server.csr"),
            "-subj", "/CN=localhost");
        File.WriteAllText(F("ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        Mosquitto.Run("openssl", "x509", "-req", "-in", F("server.csr"), "-CA", c.CaFile, "-CAkey", F("ca.key"), "-CAcreateserial",
            "-out", c.ServerCertFile, "-days", "2", "-extfile", F("ext.cnf"));
        return c;
    }

    /// <summary>A self-signed certificate and its key (as cameras ship them) naming <paramref name="subjectAltName"/>.</summary>
    public (string Cert, string Key) SelfSigned(string name, string subjectAltName)
    {
        var (cert, key) = (Path.Combine(Folder, name + ".pem"), Path.Combine(Folder, name + ".key"));
        Mosquitto.Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
            "-subj", "/CN=" + name, "-addext", "subjectAltName=" + subjectAltName);
        return (cert, key);
    }

    /// <summary>A certificate signed by <see cref="CaFile"/>'s CA naming <paramref name="subjectAltName"/>, and its key.</summary>
    public (string Cert, string Key) SignedByCa(string name, string subjectAltName)
    {
        string F(string file) => Path.Combine(Folder, file);
        var (cert, key) = (F(name + ".pem"), F(name + ".key"));
        Mosquitto.Run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", F(name + ".csr"), "-subj", "/CN=" + name);
        File.WriteAllText(F(name + ".cnf"), $"subjectAltName={subjectAltName}\n");
        Mosquitto.Run("openssl", "x509", "-req", "-in", F(name + ".csr"), "-CA", CaFile, "-CAkey", F("ca.key"), "-CAcreateserial",
            "-out", cert, "-days", "2", "-extfile", F(name + ".cnf"));
        return (cert, key);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
