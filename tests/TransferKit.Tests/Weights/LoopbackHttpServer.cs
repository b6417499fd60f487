using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TransferKit.Tests.Weights;

/// <summary>
/// A minimal HTTP/1.1 responder on 127.0.0.1 for download tests: it answers at most <c>maxRequests</c> requests, one
/// connection at a time, each as its <see cref="Reply"/> says (status, body, announced length, bytes actually sent,
/// and whether to hold the connection open afterwards). Every wait is bounded: the server stops itself after its
/// lifetime, and on dispose.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    /// <summary>How to answer one request.</summary>
    /// <param name="Status">HTTP status code.</param>
    /// <param name="Body">The body; empty when null.</param>
    /// <param name="ContentLength">The Content-Length header; null sends the body's length.</param>
    /// <param name="SendBytes">How many body bytes to send before stopping; null sends all.</param>
    /// <param name="HoldOpen">After sending, keep the connection open (silent) until the server stops.</param>
    public sealed record Reply(int Status = 200, byte[]? Body = null, long? ContentLength = null, int? SendBytes = null, bool HoldOpen = false);

    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(20);
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _life = new(Lifetime);
    private readonly Func<int, Reply> _reply;
    private readonly Task _loop;
    private int _hits;

    public LoopbackHttpServer(Func<int, Reply> reply, int maxRequests = 8)
    {
        _reply = reply;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(() => ServeAsync(maxRequests, _life.Token));
    }

    /// <summary>The port the server listens on.</summary>
    public int Port { get; }

    /// <summary>Requests received so far.</summary>
    public int Hits => Volatile.Read(ref _hits);

    /// <summary>The URL of <paramref name="path"/> on this server.</summary>
    public Uri Url(string path) => new($"http://127.0.0.1:{Port}/{path}");

    private async Task ServeAsync(int maxRequests, CancellationToken token)
    {
        try
        {
            for (int i = 0; i < maxRequests; i++)
            {
                using var client = await _listener.AcceptTcpClientAsync(token).ConfigureAwait(false);
                await AnswerAsync(client, i, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) { /* stopped */ }
        catch (ObjectDisposedException) { /* stopped */ }
        catch (InvalidOperationException) { /* stopped before the first accept */ }
        catch (SocketException) { /* stopped, or the client went away */ }
        catch (IOException) { /* the client went away */ }
    }

    private async Task AnswerAsync(TcpClient client, int index, CancellationToken token)
    {
        var stream = client.GetStream();
        // Read the request head (bounded) so the client is not reset before it has sent it.
        var head = new byte[16 * 1024];
        int length = 0;
        using (var readTimeout = CancellationTokenSource.CreateLinkedTokenSource(token))
        {
            readTimeout.CancelAfter(TimeSpan.FromSeconds(5));
            while (length < head.Length && !Encoding.ASCII.GetString(head, 0, length).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                int n = await stream.ReadAsync(head.AsMemory(length), readTimeout.Token).ConfigureAwait(false);
                if (n == 0) return;
                length += n;
            }
        }
        Interlocked.Increment(ref _hits);

        var reply = _reply(index);
        byte[] body = reply.Body ?? [];
        long announced = reply.ContentLength ?? body.Length;
        string status = reply.Status == 200 ? "OK" : "Error";
        byte[] header = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {reply.Status} {status}\r\nContent-Type: application/octet-stream\r\nContent-Length: {announced}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(header, token).ConfigureAwait(false);
        await stream.WriteAsync(body.AsMemory(0, reply.SendBytes ?? body.Length), token).ConfigureAwait(false);
        await stream.FlushAsync(token).ConfigureAwait(false);
        if (reply.HoldOpen) await Task.Delay(Timeout.Infinite, token).ConfigureAwait(false);
        client.Client.Shutdown(SocketShutdown.Both);
    }

    public async ValueTask DisposeAsync()
    {
        await _life.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        _life.Dispose();
    }
}
