using System.Net;
using System.Net.Sockets;

namespace FundingPortal.IntegrationTests.Infrastructure;

/// <summary>
/// The portal on a real Kestrel port on loopback: for what the in-memory test server cannot show (Kestrel's own headers) and for
/// separate processes (the Python verifier) that read it as a visitor would.
/// </summary>
public class KestrelPortal : PortalFactory
{
    private readonly int _port = FreePort();

    public Uri BaseUrl => new($"http://127.0.0.1:{_port}/");

    protected override void Start()
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, _port));
        StartServer();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
