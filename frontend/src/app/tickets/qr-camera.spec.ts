import { QrCamera } from './qr-camera';

describe('QrCamera', () => {
  const stopped: string[] = [];
  let frames: string[][];
  beforeEach(() => {
    stopped.length = 0;
    frames = [];
    (globalThis as Record<string, unknown>)['BarcodeDetector'] = class {
      async detect(): Promise<{ rawValue: string }[]> {
        return (frames.shift() ?? []).map((rawValue) => ({ rawValue }));
      }
    };
    Object.defineProperty(navigator, 'mediaDevices', {
      configurable: true,
      value: { getUserMedia: vi.fn(async () => ({ getTracks: () => [{ stop: () => stopped.push('track') }] })) },
    });
  });
  afterEach(() => {
    delete (globalThis as Record<string, unknown>)['BarcodeDetector'];
    vi.useRealTimers();
  });

  const video = () => Object.assign(document.createElement('video'), { play: async () => undefined }) as HTMLVideoElement;

  it('reads frames until a code passes, hands it over once and stops the camera', async () => {
    vi.useFakeTimers();
    const cam = new QrCamera('sem câmera');
    expect(cam.supported).toBe(true);
    const el = video();
    Object.defineProperty(el, 'readyState', { value: 4 });
    const found = vi.fn(async () => undefined);
    frames = [[], ['http://not-a-code'], ['K7M2Q9']];
    const started = cam.start(() => el, (raw) => /^[A-Z0-9]{6}$/.test(raw), found);
    await vi.advanceTimersByTimeAsync(0);
    await started;
    expect(cam.scanning()).toBe(true);
    await vi.advanceTimersByTimeAsync(250 * 4);
    expect(found).toHaveBeenCalledTimes(1);
    expect(found).toHaveBeenCalledWith('K7M2Q9');
    expect(cam.scanning()).toBe(false);
    expect(stopped).toEqual(['track']);
  });

  it('says why when the camera does not open', async () => {
    (navigator.mediaDevices.getUserMedia as ReturnType<typeof vi.fn>).mockRejectedValueOnce(new Error('NotAllowedError'));
    const cam = new QrCamera('Não foi possível abrir a câmera. Digite o código.');
    await cam.start(() => video(), () => true, async () => undefined);
    expect(cam.problem()).toBe('Não foi possível abrir a câmera. Digite o código.');
    expect(cam.scanning()).toBe(false);
  });

  it('is not offered where the browser has no BarcodeDetector', () => {
    delete (globalThis as Record<string, unknown>)['BarcodeDetector'];
    expect(new QrCamera('x').supported).toBe(false);
  });
});
