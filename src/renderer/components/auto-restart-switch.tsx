export function AutoRestartSwitch({ checked, disabled, onChange }: { checked: boolean; disabled: boolean; onChange(enabled: boolean): void }) {
  return (
    <label className="switch" title="Restart services automatically when they crash or hang">
      <input type="checkbox" role="switch" aria-checked={checked} checked={checked} disabled={disabled} onChange={(e) => onChange(e.currentTarget.checked)} aria-label="Auto-restart" />
      <span className="track" aria-hidden="true">
        <span className="thumb" />
      </span>
      <span className="switch-label">Auto-restart</span>
    </label>
  );
}
