/**
 * The preload script (sandboxed, bundled to CommonJS): exposes exactly the DesktopApi calls to the status
 * window as `window.llmgate`, each a fixed IPC channel. The page never sees ipcRenderer itself.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS, type DesktopApi, type Settings } from '../shared/api.js';

const api: DesktopApi = {
  status: () => ipcRenderer.invoke(CHANNELS.status),
  signIn: () => ipcRenderer.invoke(CHANNELS.signIn),
  signOut: () => ipcRenderer.invoke(CHANNELS.signOut),
  copyShellSetup: () => ipcRenderer.invoke(CHANNELS.copyShellSetup),
  settings: () => ipcRenderer.invoke(CHANNELS.settings),
  // Only the two known booleans cross the bridge.
  updateSettings: (change: Partial<Settings>) =>
    ipcRenderer.invoke(CHANNELS.updateSettings, {
      ...(typeof change.startAtLogin === 'boolean' ? { startAtLogin: change.startAtLogin } : {}),
      ...(typeof change.notifications === 'boolean' ? { notifications: change.notifications } : {}),
    }),
};

contextBridge.exposeInMainWorld('llmgate', api);
