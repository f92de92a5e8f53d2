package org.cti4j.media.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a WAV file. The {@link FileOpener} opens the file (a regular file only, off the I/O thread: a FIFO would
 * block it); the I/O thread polls for it, then decodes and resamples it to 8 kHz mono into a ring of about one
 * second; the session's worker takes one frame per tick from it. A file that cannot be played (missing, not a
 * regular file, not a WAV file, not opened in time) completes the playback with {@code "cannot play <path>: <why>"}.
 */
public final class FilePlayback extends Playback implements MediaIo.Pumped {

    private static final Logger log = LoggerFactory.getLogger(FilePlayback.class);
    private static final int BLOCK = 1024;

    private final String path;
    private final boolean loop;
    private final FileOpener opener;
    private final PcmRing ring = new PcmRing(8192);
    /** Set by the I/O thread after the last samples were written to the ring. */
    private volatile boolean ended;

    // I/O thread only
    private FileOpener.Pending opening;
    private WavReader reader;
    private Resampler resampler;
    private boolean inputEnded;
    private final short[] input = new short[BLOCK];
    private final short[] output = new short[BLOCK];

    public FilePlayback(String path, boolean loop, FileOpener opener, Listener listener) {
        super(listener);
        this.path = path;
        this.loop = loop;
        this.opener = opener;
    }

    @Override
    public int nextFrame(short[] frame) {
        boolean done = ended;
        int available = ring.available();
        if (available >= WorkerBuffers.FRAME || (done && available > 0)) {
            ring.readFrame(frame, 0, WorkerBuffers.FRAME, Integer.MAX_VALUE);
            return FRAME;
        }
        if (done) {
            return ENDED;
        }
        Arrays.fill(frame, (short) 0);
        return UNDERRUN;
    }

    @Override
    public boolean pump() {
        if (isCompleted()) {
            closeReader();
            return false;
        }
        try {
            if (reader == null && !open()) {
                return true;
            }
            fill();
        } catch (IOException | RuntimeException e) {
            complete("cannot play " + path + ": " + describe(e));
            closeReader();
            return false;
        }
        if (ended) {
            closeReader();
            return false;
        }
        return true;
    }

    /** Starts opening the file, or reads its header once it is open; returns false while it is being opened. */
    private boolean open() throws IOException {
        if (opening == null) {
            opening = opener.openForReading(Paths.get(path));
        }
        FileChannel channel = opening.poll();
        if (channel == null) {
            return false;
        }
        reader = WavReader.open(channel);
        if (reader.sampleRate() != 8000) {
            resampler = new Resampler(reader.sampleRate(), 8000);
        }
        log.debug("playing {}: {} Hz, {} channel(s), {} frames", path, reader.sampleRate(), reader.channels(),
                reader.frames());
        return true;
    }

    private void fill() throws IOException {
        while (!ended && ring.free() >= BLOCK) {
            if (!inputEnded) {
                int n = reader.read(input, 0, BLOCK);
                if (n < 0) {
                    if (loop && reader.frames() > 0) {
                        reader.rewind();
                        continue;
                    }
                    inputEnded = true;
                } else if (resampler == null) {
                    ring.write(input, 0, n);
                    continue;
                } else {
                    resampler.push(input, 0, n);
                }
            }
            if (resampler == null) {
                ended = true;
                return;
            }
            while (true) {
                int room = Math.min(output.length, ring.free());
                if (room == 0) {
                    break;
                }
                int produced = resampler.pull(output, 0, room, inputEnded);
                if (produced == 0) {
                    ended = inputEnded;
                    break;
                }
                ring.write(output, 0, produced);
            }
        }
    }

    private static String describe(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof WavReader.FormatException) {
            return e.getMessage();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private void closeReader() {
        if (opening != null) {
            opening.abandon();
        }
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                log.debug("closing {} failed", path, e);
            }
            reader = null;
        }
    }
}
